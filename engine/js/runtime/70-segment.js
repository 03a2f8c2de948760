/*
 * Segment: the messages a function emits (runtime-contract.md, "Segment").
 *
 * Follows Segment's open-source runtime: each call checks its required fields
 * (ValidationError "<field> is required but not defined", or "One of
 * userId,anonymousId is required but not defined"), then builds
 *   {type, <its own fields>, userId, anonymousId, context, integrations,
 *    messageId, sentAt, timestamp}
 * in that key order, each optional field only when truthy. As there:
 *  - a required field is missing when undefined or "" (event, groupId,
 *    previousId, collection, id); the pair userId/anonymousId when neither is
 *    truthy; checks run in the order of the table (event before userId);
 *  - event, groupId, collection and id are copied whenever present (so a null
 *    event is kept); previousId, like the optional fields, only when truthy;
 *  - the common fields are merged in as lodash's merge does: plain objects and
 *    arrays (context, integrations) are copied deeply at the time of the call,
 *    while properties and traits are kept by reference;
 *  - each call returns the message it appended (set: the object).
 * An argument that is null or undefined throws the TypeError Node would throw
 * reading its first field ("Cannot read properties of undefined (reading
 * 'event')"), a Bad Request; other non-objects are read like objects, so they
 * fail validation (Message Rejected).
 * Events go to run.events, objects to run.objects (see 40-console.js).
 *
 * One deliberate departure from Segment's runtime: page, screen and group do
 * not require userId or anonymousId. The seed's own samples of those calls
 * omit both and must run as the page shows them, and the contract lets the
 * seed win where the two disagree. identify, track and alias keep the rule.
 */

function firstField(d, name) {
  if (d === null || d === undefined) {
    throw new TypeError('Cannot read properties of ' + d + " (reading '" + name + "')");
  }
  return d[name];
}

function assertExists(d, name) {
  var v = firstField(d, name);
  if (v === undefined || v === '') throw new ValidationError(name + ' is required but not defined');
  return v;
}

function setIfTruthy(obj, name, value) {
  if (value) obj[name] = value;
}

/* lodash.merge's copy of a source value into a missing destination key. */
function mergeCopy(value, seen) {
  var proto, copy, k, i, hit;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    proto = Array.prototype;
  } else {
    proto = Object.getPrototypeOf(value);
    var plain = proto === null || proto === Object.prototype ||
      Object.prototype.toString.call(value) === '[object Arguments]';
    if (!plain) return value;
  }
  seen = seen || [];
  for (i = 0; i < seen.length; i++) if (seen[i][0] === value) return seen[i][1];
  copy = Array.isArray(value) ? [] : Object.create(proto === Array.prototype ? Object.prototype : proto);
  seen.push([value, copy]);
  for (k in value) {
    hit = value[k];
    copy[k] = mergeCopy(hit, seen);
  }
  return copy;
}

/* The calls whose messages need a userId or an anonymousId. */
var NEEDS_IDENTITY = { identify: true, track: true, alias: true };

function addCommon(msg, d) {
  if (NEEDS_IDENTITY[msg.type] && !firstField(d, 'userId') && !d.anonymousId) {
    throw new ValidationError('One of userId,anonymousId is required but not defined');
  }
  var fields = ['userId', 'anonymousId', 'context', 'integrations', 'messageId', 'sentAt', 'timestamp'], i, v;
  for (i = 0; i < fields.length; i++) {
    v = d[fields[i]];
    if (v) msg[fields[i]] = mergeCopy(v);
  }
  run.events.push(msg);
  return msg;
}

var Segment = {
  identify: function identify(d) {
    var msg = { type: 'identify' };
    setIfTruthy(msg, 'traits', firstField(d, 'traits'));
    return addCommon(msg, d);
  },
  track: function track(d) {
    var msg = { type: 'track', event: assertExists(d, 'event') };
    setIfTruthy(msg, 'properties', d.properties);
    return addCommon(msg, d);
  },
  page: function page(d) {
    var msg = { type: 'page' };
    setIfTruthy(msg, 'name', firstField(d, 'name'));
    setIfTruthy(msg, 'properties', d.properties);
    return addCommon(msg, d);
  },
  screen: function screen(d) {
    var msg = { type: 'screen' };
    setIfTruthy(msg, 'name', firstField(d, 'name'));
    setIfTruthy(msg, 'properties', d.properties);
    return addCommon(msg, d);
  },
  group: function group(d) {
    var msg = { type: 'group', groupId: assertExists(d, 'groupId') };
    setIfTruthy(msg, 'traits', d.traits);
    return addCommon(msg, d);
  },
  alias: function alias(d) {
    var msg = { type: 'alias' };
    setIfTruthy(msg, 'previousId', assertExists(d, 'previousId'));
    return addCommon(msg, d);
  },
  set: function set(d) {
    var obj = { collection: assertExists(d, 'collection'), id: assertExists(d, 'id') };
    setIfTruthy(obj, 'properties', d.properties);
    run.objects.push(obj);
    return obj;
  }
};

defineGlobal('Segment', Segment);
