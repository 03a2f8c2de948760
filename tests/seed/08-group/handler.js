async function onRequest(request, settings) {
  Segment.group({
    groupId: 'group_id',
    traits: {
      name: 'Clearbit'
    }
  })
}
