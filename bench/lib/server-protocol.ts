/** The IPC messages between the bench and a server-child.ts process. */

export type ServerKind = 'ringlet' | 'bare';

/** Rate limits out of the way: the benchmarks measure the service, not its refusals. */
export const LIFTED_LIMITS = {
  maxEventsPerSecond: 1_000_000_000,
  maxConnectionsPerMinutePerIp: 1_000_000_000,
  maxSocketsPerUser: 1_000_000_000,
} as const;

/** A Ringlet node of a cluster: the Redis its nodes share and this cluster's key prefix. */
export interface ClusterOptions {
  redisUrl: string;
  redisKeyPrefix: string;
}

/** Every node of a bench cluster signs resume tokens alike (the service refuses several nodes otherwise). */
export const CLUSTER_RESUME_SECRET = 'ringlet-bench-cluster-resume-secret';

export interface ChildRequest {
  id: number;
  type: 'cpu' | 'memory';
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export type ChildReply =
  | { type: 'ready'; url: string }
  | { type: 'cpu'; id: number; micros: number }
  | { type: 'memory'; id: number; memory: MemorySample };

export function isChildRequest(message: unknown): message is ChildRequest {
  if (typeof message !== 'object' || message === null) return false;
  const { id, type } = message as Partial<ChildRequest>;
  return typeof id === 'number' && (type === 'cpu' || type === 'memory');
}

export function isChildReply(message: unknown): message is ChildReply {
  if (typeof message !== 'object' || message === null) return false;
  const { type } = message as Partial<ChildReply>;
  return type === 'ready' || type === 'cpu' || type === 'memory';
}
