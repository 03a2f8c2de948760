// A nightly job posts a CSV export of account usage: "account_id,plan,seats,storage_gb".
const GB = 1024 ** 3
const MAX_ROWS = 1_000

async function onRequest(request, settings) {
  const [header, ...lines] = request.text().trim().split(/\r?\n/)
  const columns = header.split(',').map(c => c.trim())
  if (!columns.includes('account_id')) throw new InvalidEventPayload(`no account_id column in: ${header}`)
  if (lines.length > MAX_ROWS) throw new InvalidEventPayload('too many rows')
  const rows = lines
    .filter(l => l.trim() !== '')
    .map(line => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell.trim()])))
  for (const { account_id: id, plan = 'free', seats = '0', storage_gb: storage = '0' } of rows) {
    Segment.group({
      anonymousId: 'csv-import',
      groupId: `acct-${id.padStart(6, '0')}`,
      traits: { plan, seats: Number(seats), storage_bytes: Number(storage) * GB }
    })
  }
  console.log(`imported ${rows.length} account(s)`)
}
