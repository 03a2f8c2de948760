// Internal catalog service: each product update becomes an object in the warehouse (a plain, non-async handler).
function onRequest(request, settings) {
  const { products = [], removed = [], store = 'default' } = request.json()
  if (products.length === 0 && removed.length === 0) {
    throw new Error('empty catalog update')
  }
  for (const { sku, name, price, variants = [], ...extra } of products) {
    Segment.set({
      collection: `${store}_products`,
      id: sku,
      properties: { name, price, variant_count: variants.length, sizes: Array.from(variants, v => v.size), ...extra }
    })
  }
  for (const sku of removed) Segment.set({ collection: `${store}_products`, id: sku, properties: { deleted: true } })
  const prices = products.map(p => p.price)
  if (prices.length) {
    console.log(`price range ${Math.min(...prices)}-${Math.max(...prices)}`)
  }
  console.log('skus', [...products.map(p => p.sku), ...removed])
}
