/** POSTs bodies to a webhook URL with at most `concurrency` requests in flight; resolves with each status. */
export async function postWebhooks(url: string, bodies: readonly string[], concurrency: number): Promise<number[]> {
  const statuses: number[] = new Array(bodies.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const i = next++;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[i],
      });
      await response.arrayBuffer();
      statuses[i] = response.status;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  return statuses;
}
