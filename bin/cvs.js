#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx cvs` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../shared/cli/main.ts');
