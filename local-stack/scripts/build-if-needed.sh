# Sourced by local-stack/run and local-stack/load: builds the project when the jars are missing
# or older than a source file, and sets APP_CP (job, simulator, tools) and BROKER_LIB.
# Needs ROOT and STACK; BUILD=0 skips building.

APP_LIB="$STACK/target/lib"
BROKER_LIB="$STACK/broker/target/lib"

pulse_needs_build() {
  [[ -d "$APP_LIB" && -d "$BROKER_LIB" ]] || return 0
  local stamp
  stamp="$(ls -1 "$STACK"/target/local-stack-*.jar 2>/dev/null | head -n1)"
  [[ -n "$stamp" ]] || return 0
  [[ -n "$(find "$ROOT/pom.xml" "$ROOT/schemas" "$ROOT/streaming-jobs" "$ROOT/local-stack/pom.xml" \
      "$ROOT/local-stack/src" "$ROOT/local-stack/broker/pom.xml" \
      -path '*/target' -prune -o -type f -newer "$stamp" -print -quit)" ]]
}

pulse_build_if_needed() {
  local build_log="$1"
  if [[ "${BUILD:-1}" -eq 1 ]] && pulse_needs_build; then
    command -v mvn >/dev/null || { echo "Maven (mvn) is needed to build; install it (apt-get install maven)" >&2; exit 1; }
    echo "$(date +%H:%M:%S)  building (the first time Maven downloads dependencies: a few minutes) ..."
    (cd "$ROOT" && mvn -q -B -DskipTests package) > "$build_log" 2>&1 || {
      echo "the build failed; see $build_log" >&2; tail -n 30 "$build_log" >&2; exit 1; }
  fi
  [[ -d "$APP_LIB" && -d "$BROKER_LIB" ]] || { echo "not built yet: run without --no-build" >&2; exit 1; }
  APP_CP="$(ls -1 "$STACK"/target/local-stack-*.jar | head -n1):$APP_LIB/*"
}
