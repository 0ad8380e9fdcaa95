/** Types of scripts/errors-table.js for test/unit/errors-table.test.ts. */
export interface FailureTableModule {
	FAILURE_TABLE: Readonly<Record<string, { mayHaveActed: boolean; resend: readonly string[] }>>;
	mayHaveActed(reason: string, safety: string): boolean;
	KEYED_RESENDS: number;
}
export const START: string;
export const END: string;
export function renderErrorsTable(classify: FailureTableModule): string;
export function readBlock(readme: string): string;
export function replaceBlock(readme: string, block: string): string;
export function readReadme(): string;
