// The package root also loads its carousel, which requires `swiper`, an ES module jest cannot `require`;
// the modules below hold everything parsing needs (all standard elements register in card-elements).
import {
  AdaptiveCard,
  Fact,
  FactSet,
  SerializationContext,
  TextBlock,
  type CardElement,
} from 'adaptivecards/lib/card-elements';
import { ValidationEvent, ValidationPhase } from 'adaptivecards/lib/enums';
import { Version, type IValidationEvent, type SerializableObject } from 'adaptivecards/lib/serialization';
import { TEAMS_CARD_VERSION, TEAMS_MAX_BYTES } from '../../functions/chat';

/**
 * Validates Adaptive Cards with Microsoft's own `adaptivecards` SDK (v2), which parses without a DOM.
 *
 * The SDK reports, as parse events on the `SerializationContext`, unknown element types, invalid enum values
 * and properties newer than the target version; `validateProperties()` reports an unsupported card version,
 * a missing card type and duplicate ids. It silently drops properties it does not know, so those are checked
 * against each element's schema here, and so are a few things a Teams card must have (non-empty texts and facts).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Parsed by containers themselves rather than through the property schema.
const STRUCTURAL_KEYS = new Set(['body', 'actions', 'items', 'columns', 'fallback', 'selectAction']);

function schemaNames(o: SerializableObject): Set<string> {
  const schema = o.getSchema();
  const names = new Set<string>();
  for (let i = 0; i < schema.getCount(); i++) names.add(schema.getItemAt(i).name);
  return names;
}

function unknownKeys(source: Json, known: Set<string>, where: string): string[] {
  return Object.keys(source)
    .filter((key) => !known.has(key) && !STRUCTURAL_KEYS.has(key))
    .map((key) => `${where}: unknown property "${key}"`);
}

function describeEvent(e: IValidationEvent): string {
  return `${ValidationPhase[e.phase]} ${ValidationEvent[e.event]}: ${e.message}`;
}

function elementProblems(element: CardElement, source: unknown): string[] {
  const where = element.getJsonTypeName();
  if (!isObject(source)) return [`${where}: not an object`];
  const problems = unknownKeys(source, schemaNames(element), where);
  if (element instanceof TextBlock && (typeof source.text !== 'string' || source.text.trim() === '')) {
    problems.push('TextBlock: text must be a non-empty string');
  }
  if (element instanceof FactSet) {
    const facts = source.facts;
    if (!Array.isArray(facts) || facts.length === 0) problems.push('FactSet: facts must be a non-empty array');
    const factNames = schemaNames(new Fact());
    (Array.isArray(facts) ? facts : []).forEach((fact: unknown, i) => {
      if (!isObject(fact)) {
        problems.push(`FactSet.facts[${i}]: not an object`);
        return;
      }
      problems.push(...unknownKeys(fact, factNames, `FactSet.facts[${i}]`));
      for (const key of ['title', 'value'] as const) {
        const text = fact[key];
        if (typeof text !== 'string' || text.trim() === '') {
          problems.push(`FactSet.facts[${i}].${key} must be a non-empty string`);
        }
      }
    });
  }
  return problems;
}

/**
 * Everything wrong with an Adaptive Card for Teams Workflows, as readable strings; `[]` when it is valid.
 *
 * @param card the card JSON (the `content` of a Teams attachment)
 * @param version the version the card must declare and fit; Workflows renders 1.4 reliably
 */
export function adaptiveCardProblems(card: unknown, version: string = TEAMS_CARD_VERSION): string[] {
  if (!isObject(card)) return ['card: not a JSON object'];
  const target = Version.parse(version, new SerializationContext());
  if (!target) throw new Error(`not a card version: ${version}`);
  const problems: string[] = [];
  if (card.version !== version)
    problems.push(`card: version is ${JSON.stringify(card.version)}, expected "${version}"`);

  // Parse against the target version, so properties and elements newer than it are reported.
  const context = new SerializationContext(target);
  context.onParseElement = (element, source) => problems.push(...elementProblems(element, source));
  const parsed = new AdaptiveCard();
  try {
    parsed.parse(card, context);
  } catch (error) {
    return [...problems, `card: parse threw ${String(error)}`];
  }
  for (let i = 0; i < context.eventCount; i++) problems.push(describeEvent(context.getEventAt(i)));
  problems.push(...parsed.validateProperties().validationEvents.map(describeEvent));
  problems.push(...unknownKeys(card, schemaNames(parsed), 'AdaptiveCard'));
  if (!Array.isArray(card.body) || card.body.length === 0) problems.push('card: body must be a non-empty array');
  return problems;
}

/**
 * Everything wrong with a Teams Workflows webhook body: the envelope shape, its size and its card.
 *
 * @param body the body as it would be serialized and posted
 */
export function teamsMessageProblems(body: unknown): string[] {
  if (!isObject(body)) return ['message: not a JSON object'];
  const problems: string[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (bytes > TEAMS_MAX_BYTES) problems.push(`message: ${bytes} bytes, more than ${TEAMS_MAX_BYTES}`);
  if (body.type !== 'message') problems.push('message: type must be "message"');
  const attachments = body.attachments;
  if (!Array.isArray(attachments) || attachments.length !== 1) {
    return [...problems, 'message: attachments must hold exactly one card'];
  }
  const attachment: unknown = attachments[0];
  if (!isObject(attachment)) return [...problems, 'attachments[0]: not an object'];
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
    problems.push('attachments[0]: contentType must be application/vnd.microsoft.card.adaptive');
  }
  if (attachment.contentUrl !== null) problems.push('attachments[0]: contentUrl must be null');
  return [...problems, ...adaptiveCardProblems(attachment.content)];
}
