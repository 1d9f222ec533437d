/** Scenario files: parse YAML or JSON text, validate against the v1 schema, and write a scenario back out. */
import { InputError } from '../model/errors.ts';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { ScenarioSchema, SCENARIO_VERSION, type Scenario } from './schema.ts';

export class ScenarioError extends InputError {
  constructor(
    readonly file: string | null,
    field: string | null,
    readonly reason: string,
  ) {
    super(field, `${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${reason}`, 'invalid', 'file');
    this.name = 'ScenarioError';
  }
}

/** Validate an already-parsed object (e.g. a POST body). */
export function validateScenario(data: unknown, file: string | null = null): Scenario {
  if (data && typeof data === 'object' && 'version' in data && (data as { version: unknown }).version !== SCENARIO_VERSION) {
    throw new ScenarioError(
      file,
      'version',
      `unsupported scenario version ${JSON.stringify((data as { version: unknown }).version)}; this build reads version ${SCENARIO_VERSION}`,
    );
  }
  const r = ScenarioSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ScenarioError(file, issue.path.join('.') || null, issue.message);
  }
  return r.data;
}

/** Parse YAML or JSON text (JSON is valid YAML). */
export function parseScenario(text: string, file: string | null = null): Scenario {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw new ScenarioError(file, null, `not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateScenario(data, file);
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(path, null, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseScenario(text, path);
}

export function scenarioToYaml(s: Scenario): string {
  return YAML.stringify(s);
}
