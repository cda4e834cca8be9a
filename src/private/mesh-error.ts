/**
 * The error every cdk8s-mesh check throws, so callers can tell a configuration mistake
 * from a crash.
 */
export class MeshError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeshError';
    Object.setPrototypeOf(this, MeshError.prototype);
  }
}
