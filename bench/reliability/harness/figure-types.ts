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
}
