package main

import "runtime/debug"

// version is set at link time for releases:
//
//	go build -ldflags "-X main.version=v0.3.0" ./cmd/eddy
//
// Without it, buildVersion reads what the Go toolchain recorded.
var version string

// buildVersion is the release version if one was linked in, else the
// module version and VCS revision from the build info ("devel" when the
// binary was built outside a module version, as `go build` in a checkout).
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		v += " (" + revision + modified + ")"
	}
	return v + " " + info.GoVersion
}
