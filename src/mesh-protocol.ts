/**
 * The application protocol of a service port.
 *
 * It names the Service port (`http-...`, `grpc-...`) and sets its `appProtocol`, so Istio
 * never has to guess the protocol by sniffing (IST0118).
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum MeshProtocol {
  /** HTTP/1.1 (routes with `http` rules). */
  HTTP = 'http',
  /** HTTP/2 without TLS (h2c). */
  HTTP2 = 'http2',
  /** gRPC. */
  GRPC = 'grpc',
  /** Opaque TCP (routes with `tcp` rules, no header matches, retries or timeouts). */
  TCP = 'tcp',
}

/** True when Istio routes the protocol with `http` rules. @internal */
export function isHttpLike(protocol: MeshProtocol): boolean {
  return protocol !== MeshProtocol.TCP;
}
