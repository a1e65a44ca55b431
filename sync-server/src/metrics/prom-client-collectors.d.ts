// prom-client's default collectors, imported one by one (process-metrics.ts) so the set can
// leave out the costly ones; the package ships no types for these files.
type Collector = (
  register: import('prom-client').Registry,
  config: { eventLoopMonitoringPrecision?: number },
) => void
declare module 'prom-client/lib/metrics/*.js' {
  const collect: Collector
  export default collect
}
