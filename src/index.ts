export * from './istio-api-version';
export * from './mesh-protocol';
export * from './sidecar-tuning';
export * from './traffic-policy';
export * from './retry-policy';
export * from './service-routing';
export * from './meshed-service';
export * from './mesh';
