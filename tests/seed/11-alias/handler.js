async function onRequest(request, settings) {
  Segment.alias({
    previousId: 'old-email@example.com',
    userId: 'new-email@example.com'
  })
}
