# Sourced by ./athanor, .ci/run and the other scripts: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, then the usual install locations, then `java` on PATH.

athanor_java_major() {
  # Prints the feature version of the java binary given, or nothing. A JDK's release file says it
  # without starting a JVM (every athanor command asks, twice); the JVM is asked only without one.
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    local version
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$release" | head -1)
    case "$version" in
      1.*) echo "$version" | cut -d. -f1-2; return ;;
      [0-9]*) echo "${version%%.*}"; return ;;
    esac
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

athanor_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]* /usr/lib/jvm/jdk-2[1-9]* \
           /usr/lib/jvm/openjdk-2[1-9]* /opt/java/openjdk /opt/jdk* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/current; do
    [ -d "$d" ] && candidates+=("$d")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local home major
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(athanor_java_major "$home/bin/java")
    major=${major%%.*}
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if ! ATHANOR_JDK=$(athanor_find_jdk); then
  cat >&2 <<'MSG'
Athanor needs a JDK 21 or newer (java and javac), and none was found.
Looked at $JAVA_HOME, /usr/lib/jvm/*, /opt/java, macOS JavaVirtualMachines, SDKMAN and `java` on PATH.
Install one, for example:
  Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk-headless   (or temurin-21-jdk from Adoptium)
  macOS:          brew install openjdk@21
  any OS:         sdk install java 21-tem
then run again (or set JAVA_HOME to it).
MSG
  exit 1
fi
export JAVA_HOME="$ATHANOR_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
