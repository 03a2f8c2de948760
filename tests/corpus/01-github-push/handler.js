// GitHub push webhook: one "Commit Pushed" per commit, plus an identify for the pusher.
async function onRequest(request, settings) {
  const event = request.headers.get('X-GitHub-Event')
  const delivery = request.headers.get('X-GitHub-Delivery')
  if (event === 'ping') {
    console.log('ping received', delivery)
    return
  }
  if (event !== 'push') {
    throw new EventNotSupported(`${event} is not supported`)
  }

  const { ref, repository: { full_name: repo, default_branch: defaultBranch = 'main' }, pusher, commits = [] } = request.json()
  const branch = ref.replace('refs/heads/', '')
  const userId = pusher.email

  Segment.identify({ userId, traits: { name: pusher.name, email: pusher.email } })

  for (const { id, message, author, added = [], removed = [], modified = [] } of commits) {
    Segment.track({
      event: 'Commit Pushed',
      userId,
      properties: {
        sha: id.slice(0, 7),
        title: message.split('\n')[0],
        author: author.username ?? author.name,
        branch,
        isDefaultBranch: branch === defaultBranch,
        filesChanged: added.length + removed.length + modified.length
      },
      context: { library: { name: 'github-webhook' } }
    })
  }
  console.log(`pushed ${commits.length} commit(s) to ${repo}@${branch}`)
}
