package main

// The IANA time zone database is compiled in, so that SET TimeZone =
// 'Europe/Berlin' works on a machine without /usr/share/zoneinfo (a
// scratch container); a system copy, when present, still takes precedence.
import _ "time/tzdata"
