/**
 * What IAM Access Analyzer's policy checks take and return, as data: src/aws/access-analyzer.ts makes
 * the calls (from the CLI's orchestration, src/cli/lint-aa.ts) and src/linter/aa.ts turns the
 * results into findings; both import these types from here.
 */

export type AaPolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY';

export interface AaDocument {
  /** The exact JSON text sent (finding spans index into it). */
  text: string;
  policyType: AaPolicyType;
  /** For trust policies: AWS::IAM::AssumeRolePolicyDocument. */
  resourceType?: 'AWS::IAM::AssumeRolePolicyDocument';
}

export interface AaPosition {
  line: number;
  column: number;
  offset: number;
}

export interface AaLocation {
  /** Path into the document: "Statement", 0, "Action", 1 … */
  path: Array<string | number>;
  span?: { start: AaPosition; end: AaPosition };
}

export interface AaFinding {
  findingType: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION' | string;
  issueCode: string;
  findingDetails: string;
  learnMoreLink?: string;
  locations: AaLocation[];
}

export interface AaCheckResult {
  result: 'PASS' | 'FAIL' | string;
  message: string;
  reasons: Array<{ description?: string; statementIndex?: number; statementId?: string }>;
}
