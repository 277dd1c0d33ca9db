// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the check-in routes of a running turnout-server with the demo
// community (pairing, devices, scans, sync, undo, revocation) and checks
// every answer against its schema in the OpenAPI document with ajv, the
// validator's own JSON Schema implementation: the document describes what
// the server says, not what we think it says. Run by tools/check-openapi
// from its npm prefix (so that ajv resolves).
//
// Usage: node responses.mjs URL DOCUMENT
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;
const [url, document] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(document, "utf-8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, "openapi");

let failures = 0;
function check(what, schema, status, expected, body) {
  if (status !== expected) {
    console.error(`${what}: status ${status}, expected ${expected}: ${JSON.stringify(body)}`);
    failures++;
    return;
  }
  if (schema === null)
    return;
  const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`);
  if (!validate(body)) {
    console.error(`${what}: not a ${schema}: ${ajv.errorsText(validate.errors)}`);
    failures++;
  }
}

async function call(method, path, token, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const answer = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await answer.text();
  return [answer.status, text ? JSON.parse(text) : null];
}

const at = (seconds) => new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
const [, login] = await call("POST", "/api/v1/auth/login", null, { email: "olivia@example.org", password: "turnout-demo" });
const [, adminLogin] = await call("POST", "/api/v1/auth/login", null, { email: "admin@example.org", password: "turnout-demo" });
const token = login.token, admin = adminLogin.token;

const [, event] = await call("POST", "/api/v1/events", token, { title: "Schema check", starts_at: at(600), ends_at: at(4 * 3600) });
let [status, body] = await call("POST", `/api/v1/events/${event.id}/attendees`, token, { name: "Ada", email: "ada@example.org" });
check("POST attendees", "Attendee", status, 201, body);
const guest = body;
[status, body] = await call("POST", `/api/v1/events/${event.id}/attendees`, token, { name: "Ida", email: "ida@example.org", status: "interested" });
check("POST attendees (interested)", "Attendee", status, 201, body);
[status, body] = await call("GET", `/api/v1/events/${event.id}/attendees`, token);
check("GET attendees", "AttendeePage", status, 200, body);

[status, body] = await call("POST", "/api/v1/devices/pairing", token, { event_id: event.id, role: "supervisor", name: "Front" });
check("POST devices/pairing", "Pairing", status, 201, body);
[status, body] = await call("POST", "/api/v1/devices", null, { pairing_code: body.code, name: "Door 1" });
check("POST devices", "PairResponse", status, 201, body);
const device = body.device, door = body.token;
[status, body] = await call("POST", "/api/v1/devices", null, { pairing_code: "0000-0000-0000", name: "Door 2" });
check("POST devices (wrong code)", "ErrorBody", status, 401, body);

const scan = (code, direction, seconds, local) => ({
  id: randomUUID(), event_id: event.id, code, direction, scanned_at: at(seconds), device: device.id,
  ...(local === undefined ? {} : { local_verdict: local }),
});
const scans = [scan(guest.ticket_code, "in", -60, "accepted"), scan(guest.signed_ticket, "in", -30, "accepted"),
               scan("junk", "in", -20, null), scan(guest.ticket_code, "out", -10)];
[status, body] = await call("POST", "/api/v1/checkins", door, { scans });
check("POST checkins", "CheckinResults", status, 200, body);
[status, body] = await call("POST", "/api/v1/checkins", door, { scans: [scan(guest.ticket_code, "in", 3600)] });
check("POST checkins (future)", "ErrorBody", status, 422, body);
[status, body] = await call("DELETE", `/api/v1/checkins/${scans[3].id}`, door);
check("DELETE checkins/{id}", null, status, 204, body);

[status, body] = await call("GET", `/api/v1/sync?event_id=${event.id}&limit=2`, door);
check("GET sync (first page)", "SyncPage", status, 200, body);
[status, body] = await call("GET", `/api/v1/sync?event_id=${event.id}&since=${body.cursor}`, door);
check("GET sync (next page)", "SyncPage", status, 200, body);
[status, body] = await call("GET", `/api/v1/events/${event.id}`, door);
check("GET events/{id} (device)", "Event", status, 200, body);
[status, body] = await call("GET", `/api/v1/events/${event.id}/stats`, door);
check("GET events/{id}/stats (device)", "EventStats", status, 200, body);
[status, body] = await call("GET", "/api/v1/users", door);
check("GET users (device)", "ErrorBody", status, 403, body);

[status, body] = await call("PATCH", `/api/v1/devices/${device.id}`, token, { name: "Door one" });
check("PATCH devices/{id}", "Device", status, 200, body);
[status, body] = await call("GET", `/api/v1/devices?event_id=${event.id}`, token);
check("GET devices", "DevicePage", status, 200, body);
[status, body] = await call("DELETE", `/api/v1/devices/${device.id}`, token);
check("DELETE devices/{id}", null, status, 204, body);
[status, body] = await call("GET", `/api/v1/sync?event_id=${event.id}`, door);
check("GET sync (revoked device)", "ErrorBody", status, 401, body);
if (body?.error?.code !== "device_revoked") {
  console.error(`GET sync (revoked device): code ${body?.error?.code}, expected device_revoked`);
  failures++;
}
[status, body] = await call("GET", `/api/v1/audit?event_id=${event.id}`, admin);
check("GET audit", "AuditPage", status, 200, body);

if (failures > 0)
  process.exit(1);
console.log(`check-openapi-responses: the check-in answers of ${url} match their schemas`);
