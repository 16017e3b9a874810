// Records the request HubSpot's official Node SDK (@hubspot/api-client,
// pinned in package.json) sends for every v4 associations operation it has,
// into ../tests/fixtures/node_sdk_v4_requests.json. The Rust test
// client-tests/tests/node_sdk_wire.rs makes the same calls with our client
// and compares what goes on the wire; it reads only that file, so CI needs
// no Node. Re-record: `npm ci && node record.mjs` in this folder.
//
// A server on 127.0.0.1 answers each call with a plausible body (the one
// stored with the call, which the Rust test replays), so the SDK's calls
// complete the way they would against HubSpot.

import http from 'node:http';
import { createRequire } from 'node:module';
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Client } = require('@hubspot/api-client');
const schema = require('@hubspot/api-client/lib/codegen/crm/associations/v4/schema/index.js');
// Request factories the package ships but exports from no index and wires
// into no Client (schema/apis/LabelsApi.js, LimitsApi.js): recorded too,
// as the SDK's generator output for the same operations.
const { LabelsApiRequestFactory, LabelsApiResponseProcessor } = require(
  '@hubspot/api-client/lib/codegen/crm/associations/v4/schema/apis/LabelsApi.js',
);
const { LimitsApiRequestFactory, LimitsApiResponseProcessor } = require(
  '@hubspot/api-client/lib/codegen/crm/associations/v4/schema/apis/LimitsApi.js',
);

const SDK_VERSION = JSON.parse(
  readFileSync(require.resolve('@hubspot/api-client/package.json'), 'utf8'),
).version;
const OUT = fileURLToPath(new URL('../tests/fixtures/node_sdk_v4_requests.json', import.meta.url));
const TOKEN = 'pat-na1-recorder-token';

// Plausible answers, shaped as the documents say (ids as strings), so both
// the SDK and our client decode them.
const STARTED = '2026-03-04T10:15:30.000Z';
const COMPLETED = '2026-03-04T10:15:31.000Z';
const batch = (results) => ({ status: 'COMPLETE', results, startedAt: STARTED, completedAt: COMPLETED });
const labelsPair = {
  fromObjectTypeId: '0-1', fromObjectId: '101', toObjectTypeId: '0-2', toObjectId: '201',
  labels: ['Manager'],
};
const defaultAssociation = {
  from: { id: '101' }, to: { id: '201' },
  associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
};
const labelSpecs = {
  results: [{ category: 'USER_DEFINED', typeId: 36, label: 'Manager' }],
};
const userConfigurations = {
  results: [{ category: 'USER_DEFINED', typeId: 36, label: 'Manager', userEnforcedMaxToObjectIds: 5 }],
};
const configurationResults = [{ category: 'USER_DEFINED', typeId: 36, userEnforcedMaxToObjectIds: 10 }];
const noContent = { status: 204, body: null };

// The arguments, one object per call; our test builds the same values.
const associationSpecs = [
  { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
  { associationCategory: 'USER_DEFINED', associationTypeId: 36 },
];
const multiPost = {
  inputs: [
    { _from: { id: '101' }, to: { id: '201' }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: 36 }] },
    { _from: { id: '102' }, to: { id: '202' }, types: associationSpecs },
  ],
};
const labelCreate = { label: 'Manager', name: 'manager', inverseLabel: 'Employee' };
const labelUpdate = { associationTypeId: 36, label: 'Boss', inverseLabel: 'Report' };
const limitsCreate = { inputs: [{ category: 'USER_DEFINED', typeId: 36, maxToObjectIds: 5 }] };
const limitsPurge = { inputs: [{ category: 'USER_DEFINED', typeId: 36 }] };
const limitsUpdate = { inputs: [{ category: 'USER_DEFINED', typeId: 36, maxToObjectIds: 10 }] };
// A paging cursor with `+`, `/` and `=`, which a query must escape.
const CURSOR = 'MjAx+Lz0/=';

/** Each call: the SDK method's name, where a user reaches it, its arguments
 * (as passed), the answer the server gives, and the call itself. */
function calls(client, definitionConfigurations, orphan) {
  const v4 = client.crm.associations.v4;
  const c = (sdk_method, surface, args, response, run) => ({ sdk_method, surface, args, response, run });
  return [
    c('crm.associations.v4.basicApi.archive', 'client', ['contacts', '101', 'companies', '201'], noContent,
      (a) => v4.basicApi.archive(...a)),
    c('crm.associations.v4.basicApi.create', 'client', ['contacts', '101', 'companies', '201', associationSpecs],
      { status: 201, body: labelsPair }, (a) => v4.basicApi.create(...a)),
    c('crm.associations.v4.basicApi.createDefault', 'client', ['contacts', '101', 'companies', '201'],
      { status: 200, body: batch([defaultAssociation]) }, (a) => v4.basicApi.createDefault(...a)),
    c('crm.associations.v4.basicApi.getPage', 'client', ['contacts', '101', 'companies', CURSOR, 100],
      { status: 200, body: { results: [{ toObjectId: '201', associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: null }] }] } },
      (a) => v4.basicApi.getPage(...a)),
    c('crm.associations.v4.basicApi.getPage (no optional arguments)', 'client', ['contacts', '101', 'companies'],
      { status: 200, body: { results: [] } }, (a) => v4.basicApi.getPage(...a)),
    c('crm.associations.v4.batchApi.archive', 'client',
      ['contacts', 'companies', { inputs: [{ _from: { id: '101' }, to: [{ id: '201' }, { id: '202' }] }] }],
      noContent, (a) => v4.batchApi.archive(...a)),
    c('crm.associations.v4.batchApi.archiveLabels', 'client', ['contacts', 'companies', multiPost], noContent,
      (a) => v4.batchApi.archiveLabels(...a)),
    c('crm.associations.v4.batchApi.create', 'client', ['contacts', 'companies', multiPost],
      { status: 201, body: batch([labelsPair]) }, (a) => v4.batchApi.create(...a)),
    c('crm.associations.v4.batchApi.createDefault', 'client',
      ['contacts', 'companies', { inputs: [{ _from: { id: '101' }, to: { id: '201' } }] }],
      { status: 200, body: batch([defaultAssociation]) }, (a) => v4.batchApi.createDefault(...a)),
    c('crm.associations.v4.batchApi.getPage', 'client',
      ['contacts', 'companies', { inputs: [{ id: '101', after: CURSOR }, { id: '102' }] }],
      { status: 200, body: batch([{ from: { id: '101' }, to: [{ toObjectId: '201', associationTypes: [] }] }]) },
      (a) => v4.batchApi.getPage(...a)),
    // enqueueTime as our document has it (a DateTime object); the SDK's model
    // says a date string, but only reads it, so it accepts either.
    c('crm.associations.v4.reportApi.request', 'client', [1234567],
      { status: 200, body: { userId: 1234567, userEmail: 'owner@example.com',
        enqueueTime: { dateOnly: false, timeZoneShift: 0, value: 1772619330000 } } },
      (a) => v4.reportApi.request(...a)),
    c('crm.associations.v4.schema.definitionsApi.create', 'client', ['contacts', 'companies', labelCreate],
      { status: 200, body: labelSpecs }, (a) => v4.schema.definitionsApi.create(...a)),
    c('crm.associations.v4.schema.definitionsApi.getAll', 'client', ['contacts', 'companies'],
      { status: 200, body: labelSpecs }, (a) => v4.schema.definitionsApi.getAll(...a)),
    c('crm.associations.v4.schema.definitionsApi.remove', 'client', ['contacts', 'companies', 36], noContent,
      (a) => v4.schema.definitionsApi.remove(...a)),
    c('crm.associations.v4.schema.definitionsApi.update', 'client', ['contacts', 'companies', labelUpdate], noContent,
      (a) => v4.schema.definitionsApi.update(...a)),
    c('DefinitionConfigurationsApi.batchCreate', 'export', ['contacts', 'companies', limitsCreate],
      { status: 201, body: batch(userConfigurations.results) }, (a) => definitionConfigurations.batchCreate(...a)),
    c('DefinitionConfigurationsApi.batchRemove', 'export', ['contacts', 'companies', limitsPurge], noContent,
      (a) => definitionConfigurations.batchRemove(...a)),
    c('DefinitionConfigurationsApi.batchUpdate', 'export', ['contacts', 'companies', limitsUpdate],
      { status: 200, body: batch(configurationResults) }, (a) => definitionConfigurations.batchUpdate(...a)),
    c('DefinitionConfigurationsApi.getAll', 'export', [], { status: 200, body: userConfigurations },
      (a) => definitionConfigurations.getAll(...a)),
    c('DefinitionConfigurationsApi.getAllBetweenTwoObjectTypes', 'export', ['contacts', 'companies'],
      { status: 200, body: userConfigurations }, (a) => definitionConfigurations.getAllBetweenTwoObjectTypes(...a)),
    c('LabelsApiRequestFactory.create', 'unexported', ['contacts', 'companies', labelCreate],
      { status: 200, body: labelSpecs }, (a) => orphan('Labels', 'create', a)),
    c('LabelsApiRequestFactory.getPage', 'unexported', ['contacts', 'companies'],
      { status: 200, body: labelSpecs }, (a) => orphan('Labels', 'getPage', a)),
    c('LabelsApiRequestFactory.remove', 'unexported', [36, 'contacts', 'companies'], noContent,
      (a) => orphan('Labels', 'remove', a)),
    c('LabelsApiRequestFactory.update', 'unexported', ['contacts', 'companies', labelUpdate], noContent,
      (a) => orphan('Labels', 'update', a)),
    c('LimitsApiRequestFactory.batchCreate', 'unexported', ['contacts', 'companies', limitsCreate],
      { status: 201, body: batch(userConfigurations.results) }, (a) => orphan('Limits', 'batchCreate', a)),
    c('LimitsApiRequestFactory.batchRemove', 'unexported', ['contacts', 'companies', limitsPurge], noContent,
      (a) => orphan('Limits', 'batchRemove', a)),
    c('LimitsApiRequestFactory.batchUpdate', 'unexported', ['contacts', 'companies', limitsUpdate],
      { status: 200, body: batch(configurationResults) }, (a) => orphan('Limits', 'batchUpdate', a)),
    c('LimitsApiRequestFactory.getPage', 'unexported', [], { status: 200, body: userConfigurations },
      (a) => orphan('Limits', 'getPage', a)),
    c('LimitsApiRequestFactory.getPageBetweenTwoObjectTypes', 'unexported', ['contacts', 'companies'],
      { status: 200, body: userConfigurations }, (a) => orphan('Limits', 'getPageBetweenTwoObjectTypes', a)),
  ];
}

/** Sorted [name, value] pairs of a query, decoded as a server reads them. */
function queryPairs(search) {
  return [...new URLSearchParams(search)].sort(([ak, av], [bk, bv]) =>
    ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0,
  );
}

async function main() {
  const received = [];
  let answer = null;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const at = req.url.indexOf('?');
      received.push({
        method: req.method,
        path: at < 0 ? req.url : req.url.slice(0, at),
        query: queryPairs(at < 0 ? '' : req.url.slice(at + 1)),
        content_type: req.headers['content-type'] ?? null,
        body: text === '' ? null : JSON.parse(text),
      });
      if (answer.body === null) {
        res.writeHead(answer.status).end();
      } else {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const basePath = `http://127.0.0.1:${server.address().port}`;

  // Retries off (the default, said explicitly), no limiter: one request per call.
  const client = new Client({ accessToken: TOKEN, basePath, numberOfApiCallRetries: 0 });
  const configuration = schema.createConfiguration({
    baseServer: new schema.ServerConfiguration(basePath, {}),
    authMethods: { oauth2: { accessToken: TOKEN } },
  });
  const definitionConfigurations = new schema.DefinitionConfigurationsApi(configuration);
  const factories = {
    Labels: [new LabelsApiRequestFactory(configuration), new LabelsApiResponseProcessor()],
    Limits: [new LimitsApiRequestFactory(configuration), new LimitsApiResponseProcessor()],
  };
  // What the Promise API does for an exported class: build, send, process.
  const orphan = async (api, method, args) => {
    const [factory, processor] = factories[api];
    const request = await factory[method](...args);
    const response = await configuration.httpApi.send(request).toPromise();
    return processor[`${method}WithHttpInfo`](response);
  };

  const recorded = [];
  for (const call of calls(client, definitionConfigurations, orphan)) {
    answer = call.response;
    const before = received.length;
    // structuredClone: the SDK must not see objects the fixture later prints.
    await call.run(structuredClone(call.args));
    if (received.length !== before + 1) {
      throw new Error(`${call.sdk_method}: ${received.length - before} requests, expected 1`);
    }
    recorded.push({
      sdk_method: call.sdk_method,
      surface: call.surface,
      args: call.args,
      request: received[before],
      response: call.response,
    });
  }
  server.close();

  const fixture = {
    about:
      'Requests of HubSpot\'s official Node SDK for every v4 associations operation, recorded by ' +
      'client-tests/node-sdk/record.mjs against a server on 127.0.0.1; compared with ours by ' +
      'client-tests/tests/node_sdk_wire.rs. surface: client = reached from new Client(), ' +
      'export = an API class the package exports but Client does not wire, unexported = a request ' +
      'factory shipped in the package but exported from no index.',
    sdk: '@hubspot/api-client',
    sdk_version: SDK_VERSION,
    calls: recorded,
  };
  writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${recorded.length} calls of @hubspot/api-client ${SDK_VERSION} recorded into ${OUT}`);
}

await main();
