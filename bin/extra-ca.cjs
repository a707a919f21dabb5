'use strict';
/**
 * NODE_EXTRA_CA_CERTS, loaded when kiln first makes a TLS connection instead of at start.
 *
 * Node reads the variable's file while it starts, before any JavaScript: it builds the
 * whole root certificate store (~140 bundled certificates) and adds the file's. On this
 * project's machines (the file is Debian's 144-certificate bundle) that is ~40 ms of a
 * 65 ms `node -e 0`, paid by every `kiln validate`, `fmt` or `version` that never opens a
 * TLS connection. Packer, a Go program, reads certificates when it first dials.
 *
 * bin/kiln's sh preamble moves a non-empty NODE_EXTRA_CA_CERTS to
 * KILN_DEFERRED_NODE_EXTRA_CA_CERTS before exec'ing Node. `defer()` then, before any of kiln's code runs:
 * - puts NODE_EXTRA_CA_CERTS back in process.env, so every child process (plugins,
 *   provisioners, another kiln) sees the environment the user gave;
 * - waits for the first load of node:tls, node:https or node:http2 (through require,
 *   as all of kiln's dist/ and its npm packages load them, or process.getBuiltinModule)
 *   or the first call of the global fetch (whose undici loads tls internally), and there wraps
 *   tls.createSecureContext, which every TLS client and server context goes through.
 *
 * The wrapper keeps Node's rule: certificates given in `ca` replace the root store, and
 * the extra certificates apply only where `ca` is not given. There the context gets
 * Node's own root store (bundled or OpenSSL's, whichever this Node uses) plus the file's
 * certificates, as at start-up. A context that sets nothing else (the usual client:
 * https.request, fetch, the AWS SDK) is built once and shared, since building one costs
 * ~20 ms; one with a client certificate, ciphers or other context options is built per
 * call. A file that cannot be read is reported once on stderr, as Node does, and TLS goes
 * on with the root store alone.
 */
const fs = require('node:fs');
const Module = require('node:module');

/** The environment variable bin/kiln's preamble moves NODE_EXTRA_CA_CERTS to. */
const DEFERRED = 'KILN_DEFERRED_NODE_EXTRA_CA_CERTS';

/** Options that tls.createSecureContext reads (Node 20's _tls_common and secure-context). */
const CONTEXT_OPTIONS = [
  'ca', 'cert', 'ciphers', 'clientCertEngine', 'crl', 'dhparam', 'ecdhCurve', 'honorCipherOrder',
  'key', 'maxVersion', 'minVersion', 'passphrase', 'pfx', 'privateKeyEngine', 'privateKeyIdentifier',
  'secureOptions', 'secureProtocol', 'sessionIdContext', 'sessionTimeout', 'sigalgs', 'ticketKeys',
];

const TLS_MODULES = new Set(['tls', 'node:tls', 'https', 'node:https', 'http2', 'node:http2']);

/** Restores NODE_EXTRA_CA_CERTS for children and arms the lazy load; a no-op without the variable. */
function defer() {
  const file = process.env[DEFERRED];
  delete process.env[DEFERRED];
  if (file === undefined || file === '') return;
  process.env.NODE_EXTRA_CA_CERTS = file;
  const load = Module._load;
  const builtin = process.getBuiltinModule;
  const fetch = globalThis.fetch;
  let armed = false;
  const arm = () => {
    if (armed) return;
    armed = true;
    Module._load = load;
    process.getBuiltinModule = builtin;
    if (fetch !== undefined) globalThis.fetch = fetch;
    wrapSecureContext(require('node:tls'), file);
  };
  Module._load = function (request, ...rest) {
    const exports = load.call(this, request, ...rest);
    if (TLS_MODULES.has(request)) arm();
    return exports;
  };
  process.getBuiltinModule = function getBuiltinModule(id) {
    const exports = builtin.call(process, id);
    if (TLS_MODULES.has(id)) arm();
    return exports;
  };
  if (fetch !== undefined) {
    globalThis.fetch = function fetch(input, init) {
      arm();
      return globalThis.fetch(input, init);
    };
  }
}

function wrapSecureContext(tls, file) {
  const create = tls.createSecureContext;
  let pem;
  let shared;
  const extraCerts = () => {
    if (pem !== undefined) return pem;
    try {
      pem = fs.readFileSync(file);
    } catch (e) {
      pem = null;
      fs.writeSync(2, `Warning: Ignoring extra certs from \`${file}\`, load failed: ${e.message}\n`);
    }
    return pem;
  };
  const withExtra = (options) => {
    const context = create(options);
    const certs = extraCerts();
    if (certs !== null) context.context.addCACert(certs);
    return context;
  };
  tls.createSecureContext = function createSecureContext(options) {
    if (options?.ca) return create(options);
    if (options === undefined || CONTEXT_OPTIONS.every((name) => options[name] == null)) return (shared ??= withExtra(undefined));
    return withExtra(options);
  };
}

module.exports = { defer, DEFERRED };
