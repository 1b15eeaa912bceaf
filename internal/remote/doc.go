// Package remote runs gopool's jobs on other machines through the OpenSSH
// client: it parses --sshlogin values, keeps shared connections
// (ControlMaster) to each host, probes hosts, places jobs on hosts with
// free slots, sets failing hosts aside, moves files, and runs each job
// under a small POSIX sh wrapper that tells gopool whether the job started
// and how it ended, and that stops the job's whole remote process group
// when gopool or its ssh goes away.
//
// See shared/design/remote.md for the protocol's background.
package remote
