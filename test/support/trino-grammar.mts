/**
 * Reads a JSON array of SQL texts on stdin and prints, for each, the problems Trino's grammar finds in it. Run in a
 * child process: the grammar package is published as ES modules only, which the test runner does not load.
 */
import { TrinoSQL } from 'dt-sql-parser';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const texts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[];
const trino = new TrinoSQL();
const problems = texts.map((sql) => trino.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`));
process.stdout.write(JSON.stringify(problems));
