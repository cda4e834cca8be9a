// Runs once before all test files (jest globalSetup): says once, not once per file, that the tests
// needing the shared validator are skipped on this machine.
import { SHARED_VALIDATOR_AVAILABLE, VALIDATOR } from './shared-validator';

export default function globalSetup(): void {
  if (!SHARED_VALIDATOR_AVAILABLE) {
    console.warn(`\nSKIPPED: shared validator not found at ${VALIDATOR}: the tests that validate generated output against the Istio and Kubernetes schemas are reported as skipped (CI always runs them)`);
  }
}
