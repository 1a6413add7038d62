'use strict';
// Meta's own Node Business SDK (facebook-nodejs-business-sdk, unmodified) as a second client of the strict Graph
// emulator: node sdk-test.js http://127.0.0.1:PORT [path/to/seed.json]
// The SDK builds every URL from FacebookAdsApi.GRAPH, a static getter of its API class (src/api.js: url =
// [FacebookAdsApi.GRAPH, FacebookAdsApi.VERSION, ...path].join('/')); the only change from outside is to redefine that
// one property so the SDK talks to the emulator. The SDK computes no appsecret_proof: it is passed as a param, which
// Meta documents for every call made with a user token. No token text is printed.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const bizSdk = require('facebook-nodejs-business-sdk');

const { FacebookAdsApi, Business, User, WhatsAppBusinessAccount } = bizSdk;
const base = (process.argv[2] || '').replace(/\/+$/, '');
if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+$/.test(base)) {
  console.error('usage: node sdk-test.js http://127.0.0.1:PORT [seed.json]  (the emulator, on loopback only)');
  process.exit(2);
}
const seedPath = process.argv[3] || path.join(__dirname, '..', '..', '..', 'src', 'Naova.WhatsAppToken.Emulator', 'seed.json');
const seed = JSON.parse(fs.readFileSync(seedPath, 'utf8'));
const businessId = seed.business.id;
const app = seed.apps[0];
const admin = seed.people.find(p => p.role === 'ADMIN');
const waba = seed.wabas.find(w => w.phoneNumbers.length > 0);

Object.defineProperty(FacebookAdsApi, 'GRAPH', { get: () => base, configurable: true });
if (FacebookAdsApi.GRAPH !== base) throw new Error('FacebookAdsApi.GRAPH could not be pointed at the emulator');

const proof = token => crypto.createHmac('sha256', app.secret).update(token).digest('hex');
const adminApi = FacebookAdsApi.init(admin.token, 'en_US', false); // false: no crash reports sent anywhere
const withProof = params => Object.assign({ appsecret_proof: proof(admin.token) }, params);
const scopes = ['business_management', 'whatsapp_business_management', 'whatsapp_business_messaging'];

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
}

async function main() {
  console.log(`SDK ${FacebookAdsApi.SDK_VERSION} (Graph ${FacebookAdsApi.VERSION}) against ${base}`);
  const business = new Business(businessId);

  const created = await business.createSystemUser([], withProof({ name: 'sdk-service', role: 'EMPLOYEE' }));
  check(/^\d+$/.test(created.id), 'createSystemUser answers an id');
  console.log(`ok 1 create a system user: ${created.id}`);

  const users = await business.getSystemUsers(['id', 'name', 'role'], withProof({}));
  const listed = users.find(u => u.id === created.id);
  check(listed && listed.name === 'sdk-service' && listed.role === 'EMPLOYEE', 'getSystemUsers lists it with its role');
  console.log(`ok 2 list system users: ${users.length}, role ${listed.role}`);

  const account = new WhatsAppBusinessAccount(waba.id);
  await account.createAssignedUser([], withProof({ user: created.id, tasks: ['MANAGE'] }));
  const assigned = await account.getAssignedUsers(['id', 'name', 'tasks'], withProof({ business: businessId }));
  const grant = assigned.find(u => u.id === created.id);
  check(grant && Array.isArray(grant.tasks) && grant.tasks.includes('MANAGE'), 'getAssignedUsers reads MANAGE back');
  console.log(`ok 3 assign the WABA with MANAGE, read back: ${grant.tasks.join(',')}`);

  const systemUser = new User(created.id);
  await systemUser.createApplication([], withProof({ business_app: app.id }));
  console.log('ok 4 install the app for the system user');

  const made = await systemUser.createAccessToken([], withProof({ business_app: app.id, scope: scopes }));
  const token = made._data.access_token;
  check(typeof token === 'string' && token.length > 20, 'createAccessToken answers an access_token');
  console.log('ok 5 create a token with the three scopes (not shown)');

  const appApi = new FacebookAdsApi(app.id + '|' + app.secret, 'en_US', false);
  const own = await appApi.getAppID();
  check(own.data.data.app_id === app.id, 'debug_token of the app token names the app');
  const debugged = await appApi.call('GET', ['debug_token'], { input_token: token });
  const data = debugged.data;
  check(data.type === 'SYSTEM_USER' && data.is_valid === true && data.expires_at === 0, 'debug_token of the new token');
  check(scopes.every(s => data.scopes.includes(s)), 'the token has the three scopes');
  console.log(`ok 6 debug_token as the app: app ${own.data.data.app_id}; new token ${data.type}, valid, never expires, ${data.scopes.length} scopes`);

  try {
    await new Business('999999999999999').get(['id', 'name'], withProof({}));
    check(false, 'an unknown business must fail');
  } catch (e) {
    if (!e || e.name !== 'FacebookRequestError') throw e; // the SDK's own error class (src/exceptions.js)
    check(e.status === 400 && e.response.code === 100, 'unknown business: HTTP 400, code 100');
    check(typeof e.response.fbtrace_id === 'string' && e.response.fbtrace_id.length > 0, 'unknown business: an fbtrace_id');
    console.log(`ok 7 unknown business: ${e.status}, code ${e.response.code}, fbtrace_id ${e.response.fbtrace_id}: ${e.response.message}`);
  }
  void adminApi;
}

main().then(() => console.log('all 7 steps passed'), e => {
  console.error('FAILED: ' + (e && e.message ? e.message : e));
  if (e && e.response) console.error(JSON.stringify(e.response));
  process.exit(1);
});
