async function onRequest(request, settings) {
  const apiKey = settings.apiKey
  //=> "super_secret_string"
}
