// Jira Cloud webhooks: issues created, updated and commented on become track
// calls by the Atlassian account that acted, and each issue is kept as an
// object for the warehouse.
//
// Setup: as a Jira admin go to Settings → System → WebHooks → Create a
// WebHook, paste this source's webhook URL, set a Secret (the same value as
// the "Webhook secret" setting) and pick Issue created, updated and Comment
// created. Jira signs those deliveries (X-Hub-Signature); webhooks registered
// by Connect or OAuth apps are not signed this way and are rejected.

const SUPPORTED = ['jira:issue_created', 'jira:issue_updated', 'comment_created'];

async function onRequest(request, settings) {
  verifySignature(request, settings.webhookSecret);

  const body = parseJson(request);
  const { webhookEvent, timestamp, issue } = body;
  if (!webhookEvent) throw new ValidationError('not a Jira webhook: webhookEvent is missing');
  if (!SUPPORTED.includes(webhookEvent)) throw new EventNotSupported(`Jira event ${webhookEvent} is not supported`);
  if (!issue?.key || !issue.fields) throw new ValidationError(`${webhookEvent} without an issue`);

  const common = {
    messageId: request.headers.get('X-Atlassian-Webhook-Identifier'),
    timestamp: new Date(timestamp).toISOString()
  };
  const fields = issue.fields;
  const about = {
    issue_key: issue.key,
    issue_id: issue.id,
    project: fields.project?.key,
    issue_type: fields.issuetype?.name,
    summary: fields.summary
  };

  switch (webhookEvent) {
    case 'jira:issue_created':
      Segment.track({
        ...common,
        userId: body.user.accountId,
        event: 'Issue Created',
        properties: { ...about, priority: fields.priority?.name, labels: fields.labels }
      });
      break;

    case 'jira:issue_updated': {
      const changes = body.changelog?.items ?? [];
      const status = changes.find(change => change.field === 'status');
      const assignee = changes.find(change => change.field === 'assignee');
      if (status) {
        Segment.track({
          ...common,
          userId: body.user.accountId,
          event: fields.status?.statusCategory?.key === 'done' ? 'Issue Resolved' : 'Issue Status Changed',
          properties: { ...about, from_status: status.fromString, to_status: status.toString }
        });
      } else if (assignee) {
        Segment.track({
          ...common,
          userId: body.user.accountId,
          event: 'Issue Assigned',
          properties: { ...about, assignee: assignee.toString, assignee_account_id: assignee.to }
        });
      } else {
        Segment.track({
          ...common,
          userId: body.user.accountId,
          event: 'Issue Updated',
          properties: { ...about, fields_changed: changes.map(change => change.field) }
        });
      }
      break;
    }

    case 'comment_created':
      Segment.track({
        ...common,
        userId: body.comment.author.accountId,
        event: 'Issue Commented',
        properties: { ...about, comment_id: body.comment.id }
      });
      break;
  }

  // The issue as it is now (comment webhooks carry only a few of its fields).
  if (webhookEvent !== 'comment_created') {
    Segment.set({
      collection: 'jira_issues',
      id: issue.key,
      properties: {
        ...about,
        status: fields.status?.name,
        priority: fields.priority?.name,
        assignee_account_id: fields.assignee?.accountId ?? null,
        reporter_account_id: fields.reporter?.accountId,
        created_at: fields.created,
        updated_at: fields.updated
      }
    });
  }
}

// X-Hub-Signature is "sha256=" + the hex HMAC-SHA256 of the raw body.
function verifySignature(request, secret) {
  const received = request.headers.get('X-Hub-Signature') ?? '';
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(request.text()).digest('hex');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Hub-Signature does not match: check the webhook secret');
  }
}

// Compares two strings in constant time, whatever their lengths.
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function parseJson(request) {
  try {
    return request.json();
  } catch (e) {
    throw new ValidationError(`the body is not JSON: ${e.message}`);
  }
}
