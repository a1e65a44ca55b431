import type { Registry } from 'prom-client'
import eventLoopLag from 'prom-client/lib/metrics/eventLoopLag.js'
import heapSizeAndUsed from 'prom-client/lib/metrics/heapSizeAndUsed.js'
import heapSpacesSizeAndUsed from 'prom-client/lib/metrics/heapSpacesSizeAndUsed.js'
import osMemoryHeap from 'prom-client/lib/metrics/osMemoryHeap.js'
import processCpuTotal from 'prom-client/lib/metrics/processCpuTotal.js'
import processHandles from 'prom-client/lib/metrics/processHandles.js'
import processMaxFileDescriptors from 'prom-client/lib/metrics/processMaxFileDescriptors.js'
import processOpenFileDescriptors from 'prom-client/lib/metrics/processOpenFileDescriptors.js'
import processRequests from 'prom-client/lib/metrics/processRequests.js'
import processResources from 'prom-client/lib/metrics/processResources.js'
import processStartTime from 'prom-client/lib/metrics/processStartTime.js'
import version from 'prom-client/lib/metrics/version.js'

/**
 * How often the event-loop delay monitor samples, in ms. prom-client's default is 10: a
 * libuv timer that wakes an otherwise idle relay 100 times a second, which alone cost the
 * relay 7–12 % more server CPU in the paired A/B (docs/benchmarks.md, "Metrics"). Once a
 * second still catches every stall worth alerting on (they last tens of ms or more).
 */
export const EVENT_LOOP_SAMPLE_MS = 1000

/**
 * Node's process metrics — prom-client's default set (CPU, memory, heap, file descriptors,
 * handles, event-loop lag, version) minus `nodejs_gc_duration_seconds`, whose GC observer
 * costs work on every collection, and with the event-loop monitor sampling once a second.
 * Everything else is read on scrape only. Same metric names as `collectDefaultMetrics`.
 */
export function collectProcessMetrics(register: Registry): void {
  const config = { eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS }
  const collectors = [
    processCpuTotal,
    processStartTime,
    osMemoryHeap,
    processOpenFileDescriptors,
    processMaxFileDescriptors,
    eventLoopLag,
    processHandles,
    processRequests,
    heapSizeAndUsed,
    heapSpacesSizeAndUsed,
    version,
  ]
  // prom-client registers this one only where Node has getActiveResourcesInfo (it does on 20).
  if (typeof process.getActiveResourcesInfo === 'function') collectors.push(processResources)
  for (const collect of collectors) collect(register, config)
}
