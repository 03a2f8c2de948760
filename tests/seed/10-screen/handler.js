async function onRequest(request, settings) {
  Segment.screen({
    name: 'Shoe Feed',
    properties: {
      feed_items: 5
    }
  })
}
