/**
 * Cost per million Paubox webhook events, from measured durations, measured AWS calls and log bytes, and the
 * memory sizes the construct sets; the memory size these measurements argue for; and the deliverability record's
 * modelled cost (`npx tsx bench/cost/record-cost.ts` prints it).
 */
export { fixedMonthlyLines } from './fixed-cost';
export { chooseMemorySize, RSS_HEADROOM, type MemoryChoice } from './memory-size';
export {
  CANDIDATE_MEMORY_MB,
  DEFAULT_ASSUMPTIONS,
  MB_PER_VCPU,
  PRICES,
  type CostAssumptions,
  type CostEstimate,
  type CostLine,
  type MeasuredFunction,
} from './prices';
export {
  DEFAULT_RECORD_ASSUMPTIONS,
  estimateRecordCost,
  RECORD_PRICES,
  type RecordAssumptions,
  type RecordCost,
} from './record-cost';
export { billedMs, coldStartAt, estimateCost } from './relay-cost';
