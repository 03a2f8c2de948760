async function onRequest(request, settings) {
  // Process incoming data
}
