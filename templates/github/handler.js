// GitHub webhooks: pushes, pull requests, issues and stars become track
// calls by the GitHub user who acted, grouped under the repository's owner.
//
// Setup: in the repository (or organization) go to Settings → Webhooks → Add
// webhook, paste this source's webhook URL, choose "application/json" and set
// a Secret: the same value as this function's "Webhook secret" setting.
// GitHub signs each delivery with it (X-Hub-Signature-256).

async function onRequest(request, settings) {
  verifySignature(request, settings.webhookSecret);

  const event = request.headers.get('X-GitHub-Event');
  if (!event) throw new ValidationError('X-GitHub-Event header is missing: not a GitHub delivery');
  const payload = parseJson(request);

  if (event === 'ping') {
    // Sent once when the webhook is created: nothing to track.
    console.log(`ping from hook ${payload.hook_id}: ${payload.zen}`);
    return;
  }

  const { sender, repository } = payload;
  if (!sender?.login || !repository?.full_name) {
    throw new ValidationError(`${event} delivery without sender or repository`);
  }
  const base = {
    userId: sender.login,
    messageId: request.headers.get('X-GitHub-Delivery')
  };
  const repo = { repository: repository.full_name, private: repository.private };

  switch (event) {
    case 'push':
      Segment.track({
        ...base,
        event: 'Code Pushed',
        properties: {
          ...repo,
          branch: payload.ref.replace('refs/heads/', ''),
          commits: payload.commits.length,
          head_commit: payload.head_commit?.id,
          forced: payload.forced,
          compare_url: payload.compare
        }
      });
      break;

    case 'pull_request': {
      const pr = payload.pull_request;
      const names = { opened: 'Pull Request Opened', reopened: 'Pull Request Reopened', closed: 'Pull Request Closed' };
      if (!names[payload.action]) throw new EventNotSupported(`pull_request.${payload.action} is not supported`);
      Segment.track({
        ...base,
        event: pr.merged ? 'Pull Request Merged' : names[payload.action],
        properties: {
          ...repo,
          number: pr.number,
          title: pr.title,
          author: pr.user.login,
          base_branch: pr.base.ref,
          additions: pr.additions,
          deletions: pr.deletions
        }
      });
      break;
    }

    case 'issues': {
      const names = { opened: 'Issue Opened', closed: 'Issue Closed', reopened: 'Issue Reopened' };
      if (!names[payload.action]) throw new EventNotSupported(`issues.${payload.action} is not supported`);
      const { issue } = payload;
      Segment.track({
        ...base,
        event: names[payload.action],
        properties: { ...repo, number: issue.number, title: issue.title, labels: issue.labels.map(l => l.name) }
      });
      break;
    }

    case 'star':
      Segment.track({
        ...base,
        event: payload.action === 'created' ? 'Repository Starred' : 'Repository Unstarred',
        properties: { ...repo, stars: repository.stargazers_count }
      });
      break;

    default:
      throw new EventNotSupported(`GitHub event ${event} is not supported`);
  }

  // The account that owns the repository: an organization or a user.
  const owner = payload.organization ?? repository.owner;
  Segment.group({
    userId: sender.login,
    groupId: owner.login,
    traits: { name: owner.login, type: payload.organization ? 'Organization' : owner.type }
  });
}

// X-Hub-Signature-256 is "sha256=" + the hex HMAC-SHA256 of the raw body.
function verifySignature(request, secret) {
  const received = request.headers.get('X-Hub-Signature-256') ?? '';
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(request.text()).digest('hex');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Hub-Signature-256 does not match: check the webhook secret');
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
