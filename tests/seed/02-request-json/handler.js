async function onRequest(request) {
  const body = request.json()
  console.log('Hello', body.name)
}
