async function onRequest(request, settings) {
  Segment.set({
    collection: 'products',
    id: 'product_id',
    properties: {
      name: 'Nike Air Max 90',
      size: 11
    }
  })
}
