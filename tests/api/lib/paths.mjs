// paths.mjs — where the source tree and the hamyar binary are. CMake sets both
// (HAMYAR_SOURCE_DIR, HAMYAR_BIN); when a file is run by hand, the source tree is found
// from this file's place and the binary defaults to build/hamyar.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_DIR = process.env.HAMYAR_SOURCE_DIR
  ? resolve(process.env.HAMYAR_SOURCE_DIR)
  : resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const BIN = process.env.HAMYAR_BIN ? resolve(process.env.HAMYAR_BIN) : resolve(SOURCE_DIR, 'build', 'hamyar');
