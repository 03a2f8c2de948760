async function onRequest(request, settings) {
  Segment.page({
    name: 'Shoe Catalog',
    properties: {
      url: 'https://myshoeshop.com/catalog'
    }
  })
}
