/**
 * What a component may say to the user. Core implements it by emitting events for
 * the build the component belongs to; renderers decide how the text looks
 * (`==> name: ...`, machine-readable lines). Sensitive values are masked before any
 * renderer sees the text.
 */
export interface Ui {
  /** A progress line: `==> build: message`. */
  say(message: string): void;
  /** Output or detail. Packer ≥1.13 prints it like `say`. */
  message(message: string): void;
  /** An error line (red when colour is on). */
  error(message: string): void;
  /**
   * Asks the user a question and resolves with the answer line. Rejects when no
   * terminal is available to ask on.
   */
  ask(query: string): Promise<string>;
  /**
   * Reports how far a long transfer is (a download), for machine readers (`kiln build
   * -json`). Human output does not show it: say the progress with `message` too.
   * Optional: a `Ui` of a test or another process may not implement it.
   */
  progress?(update: ProgressUpdate): void;
}

/** A progress report: `current` of `total` (absent when unknown) `unit`s of `label`. */
export interface ProgressUpdate {
  readonly label: string;
  readonly current: number;
  readonly total?: number;
  readonly unit: 'bytes' | 'items';
}
