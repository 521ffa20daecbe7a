/**
 * The command registry. Each entry registers one or more yargs commands; `setExit` records the
 * process exit code for the command's outcome (findings, changes). Keep imports here light: command
 * modules import their cores lazily inside handlers.
 */
import type { Argv } from 'yargs';
import { registerCompile } from './compile.js';
import { registerLint } from './lint.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerSandbox } from './sandbox.js';

export type SetExit = (code: number) => void;
export type RegisterCommand = (y: Argv, setExit: SetExit) => Argv;

export const COMMANDS: RegisterCommand[] = [registerCompile, registerLint, registerPlan, registerApply, registerSandbox];
