import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics for one process, on a registry of its own (tests make several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    inboundMessages: new Counter({
      name: 'wecom_inbound_messages_total',
      help: 'WeCom callbacks by outcome (stored, duplicate, rejected)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    chatCommands: new Counter({
      name: 'chat_commands_total',
      help: 'Chat commands handled, by command and result',
      labelNames: ['command', 'result'] as const,
      registers: [registry],
    }),
    outboxSends: new Counter({
      name: 'outbox_sends_total',
      help: 'Outbox deliveries by channel and result',
      labelNames: ['channel', 'result'] as const,
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'job_runs_total',
      help: 'Scheduled job runs by job and result',
      labelNames: ['job', 'result'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
