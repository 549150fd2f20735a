import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What CloudFormation sends a Lambda-backed custom resource (the fields read here). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

export interface CustomResourceResult {
  readonly status: 'SUCCESS' | 'FAILED';
  /** Shown in the stack's events: the relay's own words only. */
  readonly reason: string;
  readonly physicalResourceId: string;
}

export function isCustomResourceEvent(event: unknown): event is CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | null;
  return typeof e?.RequestType === 'string' && typeof e.ResponseURL === 'string';
}

/**
 * Answers CloudFormation at the event's pre-signed S3 URL. A custom resource that never answers holds the stack
 * for an hour, so this is called on every path, failures included.
 */
export function respondToCloudFormation(event: CustomResourceEvent, result: CustomResourceResult): Promise<void> {
  const body = JSON.stringify({
    Status: result.status,
    Reason: result.reason,
    PhysicalResourceId: result.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve, reject) => {
    // CloudFormation's URL is https; plain http is for a test's server on loopback.
    const request = event.ResponseURL.startsWith('http:') ? httpRequest : httpsRequest;
    const put = request(event.ResponseURL, {
      method: 'PUT',
      // The URL is signed without a content type: sending one would break the signature.
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: 10_000,
    });
    put.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        (response.statusCode ?? 0) < 300
          ? resolve()
          : reject(new Error(`CloudFormation answered ${response.statusCode}`)),
      );
    });
    put.on('timeout', () => put.destroy(new Error('CloudFormation did not answer in time')));
    put.on('error', reject);
    put.end(body);
  });
}
