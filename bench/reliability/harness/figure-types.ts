/** The figures each test file records (harness/figures.ts) and the report renders. */

export interface MatrixCell {
  fault: string;
  operation: string;
  documented: string;
  got: string;
  matches: boolean;
  recovered: boolean | "n/a";
  tokenLost: boolean;
  ms: number;
}

export interface MatrixFigures {
  faults: string[];
  operations: string[];
  cells: MatrixCell[];
  cellsRun: number;
  mismatches: number;
  notRecovered: number;
  validTokensLost: number;
  unhandledExceptions: number;
  unhandledSamples: string[];
  /** git-token's counts of GitHub's limits honoured over the run (its `health()`, #15 §5). */
  limits?: { githubPeakInFlight: number; appQuotaHeldBack: number; lockoutsSeen: number };
}

export interface DropFigure {
  scenario: string;
  statement: string;
  when: "before" | "after";
  fired: boolean;
  result: string;
  clear: boolean;
  rowWhole: boolean;
  recovered: boolean;
  tokensLost: number;
  orphanedTokens: number;
  note: string;
}

export interface OutageFigure {
  kind: string;
  calls: number;
  faultMs: number;
  byPhase: { before: Record<string, number>; during: Record<string, number>; after: Record<string, number> };
  unclear: string[];
  recoveryMs: number | null;
  allOkAfter: boolean;
}

export interface DatabaseFigures {
  drops: DropFigure[];
  outages: OutageFigure[];
  rows: { rows: number; broken: string[] };
  restartable: boolean;
}

export interface FuzzFigure {
  kind: "rpc" | "http";
  target: string;
  /** Inputs that reached gitcred. */
  runs: number;
  failures: number;
  /** Generated inputs the caller's side could not send (structured clone / Request refused them). */
  unsendable: number;
  outcomes: Record<string, number>;
  samples: string[];
  ms: number;
}

export interface AttackFigures {
  attacks: { category: string; name: string; refused: boolean; detail: string }[];
}

export interface RaceFigures {
  rounds: { ops: string[]; calls: number; outcomes: string[] }[];
  violations: {
    oneRowPerPerson: string[];
    noValidTokenCleared: string[];
    versionPlusOne: string[];
    wholeRow: string[];
  };
}

export interface CanaryFigures {
  secrets: number;
  /** SAML SSO authorize URLs (and request ids) sought everywhere but the person's own settings pages. */
  ssoUrls?: number;
  issuedByKind: Record<string, number>;
  places: { place: string; items: number; bytes: number }[];
  found: string[];
}

export interface FuzzFigures {
  runsPerTarget: number;
  concurrency: number;
  targets: FuzzFigure[];
}
