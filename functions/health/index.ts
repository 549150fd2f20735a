/** Relay health (notices on change of state, destination probes, alarm notices): the face of health/. */
export { alarmNotice, noticeTargets } from './alarm-notice';
export { HealthMonitor } from './health-monitor';
export { probeAppDestination, probeDestination, probeLine, probeLocalDestination, type ProbeResult } from './probe';
export { runScheduledProbe } from './scheduled-probe';
