#!/usr/bin/env node
// Validates an export of the skills record against the public schemas.
//
//   node tests/schema/validate.js jsonresume FILE   JSON Resume 1.0.0
//   node tests/schema/validate.js xapi FILE         a JSON array of xAPI
//                                                   1.0.3 statements
//
// Exit status 0: valid. 1: invalid, every problem on stderr, one a line,
// as "<JSON pointer>: <message>". 2: bad usage, or the validator could not
// run (unreadable file, packages missing: run careers_install_deps).
//
// jsonresume: ajv (draft-04, as the schema is) with the schema.json of
//   resume-schema@1.0.0, then the same schema with every object closed
//   (additionalProperties false), because our exports use only properties
//   the schema declares.
// xapi: ajv (draft-07) with tests/schema/xapi-statement-1.0.3.schema.json
//   (transcribed from the specification: no xAPI JSON Schema is published
//   on npm), Learning Locker's conformance-tested validator
//   (@learninglocker/xapi-validation) as a second opinion, and the
//   specification's SHOULD NOT of empty objects (Part Two 2.2.s2.b1).
//
// Packages come from ops/tools (ops/tools/package.json).
'use strict';

const fs = require('fs');
const path = require('path');
const {createRequire} = require('module');

const toolsRequire = createRequire(
    path.resolve(__dirname, '../../ops/tools/package.json'));

function fail(status, lines) {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(status);
}

function load(name) {
  try {
    return toolsRequire(name);
  } catch (e) {
    fail(2, [`cannot load ${name} from ops/tools: ${e.message}`,
             'run: source ops/lib.sh && careers_install_deps']);
  }
}

// "<JSON pointer>: <message> [<schema path>]", the pointer under `base`.
function ajvErrors(errors, base, note) {
  return (errors || []).map((e) => {
    const extra = e.params && e.params.additionalProperty !== undefined ?
        ` (${e.params.additionalProperty})` :
        '';
    return `${base + e.instancePath || '/'}: ${e.message}${extra}${note} [${
        e.schemaPath}]`;
  });
}

// A copy of `schema` where every object schema that lists properties admits
// no others.
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties' ?
        Object.fromEntries(
            Object.entries(v).map(([name, sub]) => [name, closed(sub)])) :
        closed(v);
  }
  if (out.properties && typeof out.properties === 'object') {
    out.additionalProperties = false;
  }
  return out;
}

function validateJsonResume(doc) {
  const Ajv04 = load('ajv-draft-04');
  const addFormats = load('ajv-formats');
  const schema = load('resume-schema/schema.json');
  const problems = [];
  for (const [note, s] of [['', schema], [' (closed schema)', closed(schema)]]) {
    // The published schema is not written for ajv's strict mode.
    const ajv = new Ajv04({allErrors: true, strict: false});
    addFormats(ajv);
    const validate = ajv.compile(s);
    if (!validate(doc)) problems.push(...ajvErrors(validate.errors, '', note));
  }
  return problems;
}

// Part Two 2.2.s2.b1: no property with an empty object as its value
// (extension values are the extension owner's business).
function emptyObjects(value, pointer, out) {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => emptyObjects(v, `${pointer}/${i}`, out));
    return;
  }
  if (pointer !== '' && Object.keys(value).length === 0) {
    out.push(`${pointer}: empty object (xAPI 1.0.3 Part Two 2.2.s2.b1)`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'extensions') continue;
    emptyObjects(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
                 out);
  }
}

function validateXapi(doc) {
  const Ajv = load('ajv');
  const addFormats = load('ajv-formats');
  const llValidate = load('@learninglocker/xapi-validation').default;
  const schema = JSON.parse(fs.readFileSync(
      path.join(__dirname, 'xapi-statement-1.0.3.schema.json'), 'utf8'));
  const ajv = new Ajv(
      {allErrors: true, strict: true, strictTypes: false, strictRequired: false});
  addFormats(ajv);
  const validate = ajv.compile(schema);

  if (!Array.isArray(doc)) return ['/: not an array of statements'];
  const problems = [];
  doc.forEach((statement, i) => {
    if (!validate(statement)) {
      problems.push(...ajvErrors(validate.errors, `/${i}`, ''));
    }
    for (const w of llValidate(statement)) {
      const where = (w.path || []).slice(1).map((p) => `/${p}`).join('');
      problems.push(`/${i}${where}: learning locker: ${
          w.constructor.name} ${JSON.stringify(w.data)}`);
    }
    emptyObjects(statement, `/${i}`, problems);
  });
  return problems;
}

function main(argv) {
  if (argv.length !== 2 || !['jsonresume', 'xapi'].includes(argv[0])) {
    fail(2, ['usage: validate.js jsonresume|xapi FILE']);
  }
  let text;
  try {
    text = fs.readFileSync(argv[1], 'utf8');
  } catch (e) {
    fail(2, [`${argv[1]}: ${e.message}`]);
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(1, [`${argv[1]}: invalid`, `/: not JSON: ${e.message}`]);
  }
  const problems =
      argv[0] === 'jsonresume' ? validateJsonResume(doc) : validateXapi(doc);
  if (problems.length > 0) fail(1, [`${argv[1]}: invalid`, ...problems]);
  process.stdout.write(`${argv[1]}: valid ${argv[0]}\n`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  // A schema that does not compile is not an invalid document.
  fail(2, [`validator failed: ${e.stack || e}`]);
}
