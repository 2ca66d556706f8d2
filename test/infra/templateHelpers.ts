import { createRequire } from 'node:module';

/** asl-validator's result (the package ships no types). */
export interface AslResult {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}

/** asl-validator's default export: validates one state machine definition. */
export const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
) => AslResult;

/** Replaces CloudFormation intrinsics by plausible literals, so a definition string can be parsed and validated. */
export function resolveIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::Region') return 'eu-west-1';
  if (v.Ref === 'AWS::AccountId') return '123456789012';
  if (typeof v.Ref === 'string') return v.Ref.toLowerCase();
  if (Array.isArray(v['Fn::GetAtt'])) {
    return `arn:aws:lambda:eu-west-1:123456789012:function:${String(v['Fn::GetAtt'][0])}`;
  }
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsic).join(sep);
  }
  throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
}

/** A state of an ASL definition (the fields the tests read). */
export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Resource?: string;
  Parameters?: Record<string, unknown>;
}

/** A parsed state machine definition. */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** The names of the states on the success path, from StartAt along Next (Choice: its first matching branch). */
export function successPath(def: AslDefinition, start = def.StartAt): string[] {
  const out: string[] = [];
  let name: string | undefined = start;
  while (name && !out.includes(name)) {
    out.push(name);
    const s: AslState = def.States[name];
    name =
      s.Type === 'Choice'
        ? ((s as unknown as { Choices: { Next: string }[] }).Choices[0]?.Next ?? s.Default)
        : s.Next;
  }
  return out;
}
