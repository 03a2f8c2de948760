#!/bin/sh
# tests/e2e/studio.sh: the studio driven as a person would, through tmux: the
# real binary in a 100x30 terminal, keys sent with send-keys, the screen read
# with capture-pane, and the files and the workspace checked on disk. Every
# wait is a bounded poll of the screen (or of a file), never a fixed sleep.
# The tmux server is this script's own (-L) and is killed on exit, whatever
# happened.
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
  fail "studio: tmux is installed" "tmux is missing (apt-get install tmux)"
  exit 0
fi

SOCK=srcfn-test-$$
T() { tmux -L "$SOCK" "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

WS=$TMP/ws
mkdir -p "$WS" && cd "$WS" || exit 1
"$SRCFN" init >/dev/null 2>&1
export SRCFN_CACHE_DIR="${SRCFN_CACHE_DIR:-$TMP/cache}"

# The studio runs from a launcher that records its pid and exit status.
# (The inner sh writes its own pid, then becomes the studio: the pid is the studio's.)
cat >"$TMP/launch.sh" <<EOF
cd "$WS" || exit 1
rm -f "$TMP/exit"
env LANG=C.UTF-8 TERM=tmux-256color ASAN_OPTIONS=detect_leaks=1:log_path=$TMP/asan \\
  SRCFN_CACHE_DIR="$SRCFN_CACHE_DIR" \$STUDIO_ENV sh -c 'echo \$\$ >"$TMP/pid"; exec "\$0" "\$@"' "$SRCFN" "\$@" 2>>"$TMP/stderr"
echo \$? >"$TMP/exit"
sleep 600
EOF

N=0
start() {   # start [ARGS...]: a fresh studio session, then the previous one goes
  N=$((N + 1))
  T new-session -d -s "s$N" -x 100 -y 30 "STUDIO_ENV='${STUDIO_ENV:-}' sh '$TMP/launch.sh' $*"
  [ $N -gt 1 ] && T kill-session -t "s$((N - 1))" >/dev/null 2>&1
}
screen() { T capture-pane -p -t "s$N"; }
keys() { T send-keys -t "s$N" "$@"; }
# type TEXT: literal text (a trailing ';' would end tmux's command: escape it)
type_text() { T send-keys -t "s$N" -l "$(printf '%s' "$1" | sed 's/;$/\\;/')"; }

# wait_for NAME TEXT [SECONDS]: passes once the screen shows TEXT.
wait_for() {
  i=0; limit=$(( ${3:-10} * 10 ))
  while [ $i -lt $limit ]; do
    if screen | grep -qF -- "$2"; then pass "$1"; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  fail "$1" "no \"$2\" on screen: $(screen | sed 's/  */ /g' | tr '\n' '|' | head -c 1500)"
  return 1
}
# wait_gone NAME TEXT [SECONDS]: passes once the screen no longer shows TEXT.
wait_gone() {
  i=0; limit=$(( ${3:-10} * 10 ))
  while [ $i -lt $limit ]; do
    if ! screen | grep -qF -- "$2"; then pass "$1"; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  fail "$1" "\"$2\" still on screen"
  return 1
}
# wait_file NAME TEST-ARGS...: passes once test(1) holds.
wait_file() {
  name=$1; shift; i=0
  while [ $i -lt 100 ]; do
    if test "$@"; then pass "$name"; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  fail "$name" "test $* never held"
  return 1
}
exited() { wait_file "$1" -s "$TMP/exit"; }

# --- srcfn alone opens the catalog; a new function from a template -------------------------
start
wait_for "studio: srcfn alone in a workspace opens the catalog" "New function from a template"
keys Enter
wait_for "studio: New function lists the templates with descriptions" "commented tour"
keys Enter
wait_for "studio: the template opens unsaved" "(new function)"
wait_for "studio: the editor shows the template's code" "async function onRequest"

# Type a handler over the template's code.
keys F2 C-a BSpace
type_text "async function onRequest(request, settings) {"
keys Enter
type_text "console.warn('about to track')"
keys Enter
type_text "Segment.track({ event: 'Studio Test', userId: request.json().user?.id ?? 'u0', properties: { key: settings.apiKey ?? null } })"
keys Enter
type_text "}"
wait_for "studio: typed code shows in the editor" "Studio Test"

keys F5
wait_for "studio: a run shows the event in the output" "track  Studio Test"
keys F9 End
wait_for "studio: the output shows console lines with their level" "[warn] about to track"

# The first save asks for a name (Configure) and creates the function.
keys C-s
wait_for "studio: the first save asks for a name (Configure)" "Create Function"
type_text "studiofn"
keys Enter
wait_for "studio: Configure creates the function" "Created the function studiofn"
if grep -q "Studio Test" "$WS/studiofn/handler.js" 2>/dev/null; then pass "studio: handler.js is saved"
else fail "studio: handler.js is saved" "$(ls -la "$WS/studiofn" 2>&1 | tr '\n' ' ')"; fi
expect_eq "studio: function.json's displayName is the name" "$(jq -r .displayName "$WS/studiofn/function.json" 2>&1)" studiofn
[ -d "$WS/studiofn/examples" ] && pass "studio: the template's examples come along" || fail "studio: the template's examples come along" "no examples/"

# --- a required setting: Invalid Settings until it has a test value ------------------------
keys F4
wait_for "studio: the settings pane opens" "No settings"
keys a
wait_for "studio: a opens the setting form" "Add setting"
type_text "API Key"
wait_for "studio: the name follows the label in camelCase" "apiKey"
keys Down Down Down Down Space Down Space Enter
wait_for "studio: a required setting without a value is Invalid Settings" "Invalid Settings"
keys F5
wait_for "studio: running without the value fails with Invalid Settings" "Invalid Settings: setting \"apiKey\""

# A declaration that is not valid is refused with the reason.
keys a
wait_for "studio: the form opens again" "Add setting"
type_text "x"
keys Down C-u
type_text "9lives"
keys Enter
wait_for "studio: a bad name is refused with the reason" "the name must be a JavaScript"
keys Escape
wait_gone "studio: Esc closes the form" "Add setting"

keys v
wait_for "studio: v asks for the test value" "Test value of API Key"
type_text "sk_live_abcdef123456"
keys Enter
wait_for "studio: with a value the settings are valid" "The test values satisfy the settings"
wait_for "studio: the encrypted value is masked" "••••3456"
if screen | grep -q "sk_live_abcdef123456"; then fail "studio: the secret never shows in full" "it is on screen"
else pass "studio: the secret never shows in full"; fi
keys F5
wait_for "studio: with the value the run succeeds" "Success in"
if screen | grep -q "sk_live_abcdef123456"; then fail "studio: the output masks the secret" "it is on screen"
else pass "studio: the output masks the secret"; fi
if grep -rq "sk_live_abcdef123456" "$WS/.srcfn/studio" 2>/dev/null; then fail "studio: the secret is sealed at rest" "plain in .srcfn/studio"
else pass "studio: the secret is sealed at rest"; fi
keys C-s
wait_for "studio: save writes the settings" "Saved studiofn"
expect_eq "studio: function.json declares the setting" \
  "$(jq -c '.settings[0] | [.name, .label, .type, .required, .sensitive]' "$WS/studiofn/function.json" 2>&1)" \
  '["apiKey","API Key","STRING",true,true]'

# --- Auto-fill via Webhook: a real request fills the test pane -------------------------------
URL=$(screen | sed -n 's|.*webhook \(http://127\.0\.0\.1:[0-9]*/\).*|\1|p' | head -1)
if [ -n "$URL" ]; then pass "studio: the title shows the webhook URL"; else fail "studio: the title shows the webhook URL" "$(screen | head -1)"; fi
keys F2
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary '{"user":{"id":"captured-user-77"},"kind":"from curl"}' "${URL}hooks/demo?from=curl")
expect_eq "studio: the capture URL answers 200" "$CODE" 200
wait_for "studio: auto-fill puts the captured body in the test pane" "captured-user-77"
wait_for "studio: the captured query string is in the URL" "?from=curl"
keys F5
wait_for "studio: the captured request runs" '"userId": "captured-user-77"'
keys F7
wait_for "studio: the captures list shows it" "POST /hooks/demo"

# --- Save & Deploy to a chosen instance ------------------------------------------------------
"$SRCFN" connect studiofn --instance inst1 --setting apiKey=zzzz99999999 >/dev/null 2>&1
"$SRCFN" connect studiofn --instance inst2 --setting apiKey=yyyy99999999 >/dev/null 2>&1
expect_json "studio: the instances start on version 1" "$("$SRCFN" sources --json 2>&1)" \
  '[.[] | select(.function == "studiofn") | .version] == [1, 1]'
keys F2 C-Home
type_text "// version two"
keys Enter End Enter
type_text "if (request.json().fail) throw new Error('asked to fail')"
keys F6
wait_for "studio: Save & Deploy lists the instances with checkboxes" "inst2"
keys Down Space Enter
wait_for "studio: the deploy reports the version" "inst1: version 1 -> 2"
wait_for "studio: an unticked instance is left alone" "inst2: left at version 1"
keys Enter
expect_json "studio: srcfn sources shows the chosen instance on the new version" "$("$SRCFN" sources --json 2>&1)" \
  '(.[] | select(.name == "inst1") | .version) == 2 and (.[] | select(.name == "inst2") | .version) == 1'

# --- a syntax error marks its line; ^E goes there ----------------------------------------------
keys F2 C-Home
type_text "let = 1"
keys Enter
wait_for "studio: the background check names the syntax error's line" "✗ line 1"
keys F5
wait_for "studio: the run reports the syntax error's line" "at line 1 of handler.js"
keys C-End C-e
wait_for "studio: ^E jumps to the error line" "handler.js *  1:1"

# --- nothing typed is lost to a run; Esc cancels a long one ---------------------------------------
i=0
while [ $i -lt 12 ] && ! screen | grep -qE '^│[ !] +1 // version two +│'; do keys C-z; sleep 0.3; i=$((i + 1)); done
wait_gone "studio: undo takes the syntax error away" "✗ line"
keys C-Home Down End Enter
type_text "await new Promise(r => setTimeout(r, 4000))"
keys C-Home
type_text "// typed "
keys F5
wait_for "studio: a long run shows a spinner" "running"
type_text "while running"
wait_for "studio: typing goes on during a run" "// typed while running"
keys Escape
wait_for "studio: Esc cancels the run" "the run was cancelled" 5

# --- resize: redraws at 80x24 without losing the text -------------------------------------------
T resize-window -t "s$N" -x 80 -y 24
i=0; while [ $i -lt 50 ] && [ "$(screen | wc -l)" -ne 24 ]; do sleep 0.1; i=$((i + 1)); done
wait_for "studio: at 80x24 the key bar is drawn" "F10 Quit"
wait_for "studio: at 80x24 the text is still there" "// typed while running"
w=$(screen | LC_ALL=C.UTF-8 sed 's/./x/g' | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
[ "$w" -le 80 ] && pass "studio: at 80x24 nothing is wider than the screen" || fail "studio: at 80x24 nothing is wider than the screen" "$w columns"
T resize-window -t "s$N" -x 100 -y 30

# --- quitting with unsaved changes asks first ---------------------------------------------------
keys F10
wait_for "studio: quitting with unsaved changes asks" "has unsaved changes"
keys Escape
wait_gone "studio: Cancel keeps the studio open" "has unsaved changes"
[ -s "$TMP/exit" ] && fail "studio: still running after Cancel" "it exited" || pass "studio: still running after Cancel"
wait_file "studio: the unsaved code has a recovery file" -s "$WS/studiofn/.handler.js.recover"
keys F10
wait_for "studio: asked again" "has unsaved changes"
keys Right Enter
exited "studio: Discard quits"
expect_eq "studio: the studio exits 0" "$(cat "$TMP/exit" 2>/dev/null)" 0
grep -q "typed while running" "$WS/studiofn/handler.js" && fail "studio: Discard does not save" "saved anyway" || pass "studio: Discard does not save"
[ -e "$WS/studiofn/.handler.js.recover" ] && fail "studio: Discard removes the recovery file" "still there" || pass "studio: Discard removes the recovery file"

# --- a crash leaves a recovery file, offered on the next start ------------------------------------
start studio studiofn
wait_for "studio: srcfn studio NAME opens the function" "studiofn"
keys F2 C-Home
type_text "// keep me after a crash"
keys Enter
wait_file "studio: a recovery file is written after a short idle" -s "$WS/studiofn/.handler.js.recover"
kill -9 "$(cat "$TMP/pid" 2>/dev/null)" 2>/dev/null
exited "studio: the studio is killed (a crash)"
start studio studiofn
wait_for "studio: the next start offers the recovery" "Recover unsaved code"
keys Enter
wait_for "studio: the recovered code is in the editor" "// keep me after a crash"
keys C-s
wait_for "studio: the recovered code saves" "Saved studiofn"
grep -q "keep me after a crash" "$WS/studiofn/handler.js" && pass "studio: the recovered code is on disk" || fail "studio: the recovered code is on disk" "not saved"
[ -e "$WS/studiofn/.handler.js.recover" ] && fail "studio: saving removes the recovery file" "still there" || pass "studio: saving removes the recovery file"

# --- a terminal paste goes in whole: indentation kept, one undo step -----------------------------
printf '// pasted {\n//     deeply indented\n' >"$TMP/paste.txt"
keys F2 C-Home
T load-buffer -b studio "$TMP/paste.txt"
T paste-buffer -p -b studio -t "s$N"
wait_for "studio: a bracketed paste keeps its indentation" "//     deeply indented"
keys C-z
wait_gone "studio: one undo takes the whole paste back" "// pasted {"
wait_gone "studio: undoing the paste makes the code clean again" "handler.js *"

# --- the errors of deployed instances, and reproducing one ------------------------------------
"$SRCFN" serve --port 0 >"$TMP/serve.out" 2>&1 &
SERVE_PID=$!
trap 'kill $SERVE_PID 2>/dev/null; cleanup' EXIT
i=0; while [ $i -lt 100 ] && ! grep -q "listening on" "$TMP/serve.out"; do sleep 0.1; i=$((i + 1)); done
SERVE=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9]*\).*|\1|p' "$TMP/serve.out" | head -1)
TOKEN=$("$SRCFN" sources --json 2>/dev/null | jq -r '.[] | select(.name == "inst1") | .token')
curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary '{"fail":true,"marker":"from-serve"}' \
  "$SERVE/hooks/$TOKEN"
i=0; while [ $i -lt 100 ] && [ "$("$SRCFN" errors inst1 --json 2>/dev/null | jq length 2>/dev/null)" != 1 ]; do sleep 0.1; i=$((i + 1)); done
kill $SERVE_PID 2>/dev/null; wait $SERVE_PID 2>/dev/null
keys F8
wait_for "studio: the errors pane lists the deployed instance's error" "asked to fail"
keys Enter
wait_for "studio: Enter loads the failed request into the test pane" '"marker": "from-serve"'
keys F5
wait_for "studio: the failure reproduces with one key" "Error: asked to fail"

# --- the catalog: versions and instances; opening from it ----------------------------------------
keys C-o
wait_for "studio: ^O shows the catalog with the newest version and the instances" "v2    2 instances"
keys Down Enter
wait_for "studio: Enter opens the function from the catalog" "srcfn studio studiofn"

# --- help, from the key table --------------------------------------------------------------------
keys F1
wait_for "studio: F1 shows the help" "every key of the studio"
wait_for "studio: the help lists the bindings" "Save & Deploy"
keys Escape
wait_gone "studio: Esc closes the help" "every key of the studio"
keys F10
exited "studio: F10 quits when everything is saved"

# --- colours: on by default, off with NO_COLOR -----------------------------------------------------
ESC=$(printf '\033')
start studio studiofn
wait_for "studio: opens again" "handler.js"
if T capture-pane -p -e -t "s$N" | grep -q "${ESC}\[[0-9;]*3[0-7]m\|${ESC}\[[0-9;]*38;5"; then pass "studio: colours by default"
else fail "studio: colours by default" "no colour escapes"; fi
keys F10
exited "studio: quits"
STUDIO_ENV="NO_COLOR=1"
start studio studiofn
wait_for "studio: opens with NO_COLOR" "handler.js"
if T capture-pane -p -e -t "s$N" | grep -q "${ESC}\[[0-9;]*3[0-7]m\|${ESC}\[[0-9;]*38;5\|${ESC}\[[0-9;]*4[0-7]m"; then
  fail "studio: NO_COLOR turns colours off" "colour escapes on screen"
else pass "studio: NO_COLOR turns colours off"; fi
keys F10
exited "studio: quits with NO_COLOR"
unset STUDIO_ENV

# --- ^P checks the examples against the code in the editor, saved or not ----------------------------
"$SRCFN" new exfn --template default >/dev/null 2>&1
start studio exfn
wait_for "studio: a function from the default template opens" "handler.js"
keys C-p
wait_for "studio: ^P shows PASS for each example" "PASS 01-order-completed"
wait_for "studio: ... every one of them" "PASS 04-unknown-event"
wait_for "studio: the status line sums the examples up" "4 passed, 0 failed"
# Break the code in the editor without saving: the check runs what is typed.
keys F2 C-f
wait_for "studio: ^F asks for the text" "Find"
type_text "Order Completed"
keys Enter
type_text "Order Shipped"
wait_for "studio: the edit shows in the editor" "event: 'Order Shipped'"
keys C-p
wait_for "studio: the unsaved change fails its example" "FAIL 01-order-completed"
keys F9 F12
wait_for "studio: the failure shows the diff line" 'events[0].event: expected "Order Completed", got "Order Shipped"'
keys F12 F2
wait_for "studio: the other examples still pass" "PASS 02-user-created"
wait_for "studio: the status line counts the failure" "3 passed, 1 failed"
grep -q "Order Shipped" "$WS/exfn/handler.js" && fail "studio: the examples check does not save" "saved" \
  || pass "studio: the examples check does not save"
# A slow function: Esc stops the check between examples.
keys C-Home
keys C-f C-u
type_text "async function onRequest"
keys Enter End Enter
type_text "await new Promise(r => setTimeout(r, 1500))"
keys C-p
wait_for "studio: the examples check shows a spinner" "running the examples"
keys Escape
wait_for "studio: Esc stops the examples check" "not run"
# A function without examples says so.
rm -rf "$WS/exfn/examples"
keys C-p
wait_for "studio: a function without examples says so" "No examples to check"
keys F10
wait_for "studio: quitting asks about the unsaved edits" "has unsaved changes"
keys Right Enter
exited "studio: Discard quits"

# --- outside a workspace it offers to make one ---------------------------------------------------
mkdir -p "$TMP/plain"
sed "s|cd \"$WS\"|cd \"$TMP/plain\"|" "$TMP/launch.sh" >"$TMP/launch-plain.sh" && mv "$TMP/launch-plain.sh" "$TMP/launch.sh"
start studio
wait_for "studio: outside a workspace it offers to create one" "Create it here"
keys Enter
wait_for "studio: then the catalog opens" "New function from a template"
[ -d "$TMP/plain/.srcfn" ] && pass "studio: the workspace is made" || fail "studio: the workspace is made" "no .srcfn/"
keys q
exited "studio: q quits the catalog"

if ls "$TMP"/asan* >/dev/null 2>&1; then fail "studio: no sanitizer reports" "$(cat "$TMP"/asan* | head -20 | tr '\n' ' ')"
else pass "studio: no sanitizer reports"; fi
