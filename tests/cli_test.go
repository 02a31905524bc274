package tests

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eddy-db/eddy/tests/harness"
)

// runEddy runs the eddy binary to its end and returns its exit status and
// everything it printed.
func runEddy(t *testing.T, args ...string) (int, string) {
	t.Helper()
	bin := harness.BuildEddy(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit) && exit.Exited():
		return exit.ExitCode(), string(out)
	}
	t.Fatalf("eddy %s: %v\n%s", strings.Join(args, " "), err, out)
	return 0, ""
}

func eddyOnlyTest(t *testing.T) {
	if harness.Engine(*harness.Target) != harness.EngineEddy {
		t.Skip("the command line is Eddy's own")
	}
}

func TestCommandLineVersion(t *testing.T) {
	eddyOnlyTest(t)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out := runEddy(t, args...)
		if code != 0 || !regexp.MustCompile(`^eddy \S+`).MatchString(out) || strings.Count(out, "\n") != 1 {
			t.Errorf("eddy %s: exit %d, printed %q; want exit 0 and one line \"eddy <version>\"", strings.Join(args, " "), code, out)
		}
	}
}

// TestCommandLineMistakes: a command line eddy does not understand is an
// error that shows the usage (exit 2), never a server started on defaults.
func TestCommandLineMistakes(t *testing.T) {
	eddyOnlyTest(t)
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{}, "usage: eddy <command>"},
		{[]string{"serve"}, `unknown command "serve"`},
		{[]string{"server", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"server", "--data-dir", t.TempDir(), "stray"}, `unexpected argument "stray"`},
		{[]string{"playground", "--log-format", "xml"}, `bad --log-format "xml"`},
		{[]string{"server", "--log-level", "loud"}, `bad --log-level "loud"`},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
	} {
		code, out := runEddy(t, tc.args...)
		if code != 2 || !strings.Contains(out, tc.says) || !strings.Contains(strings.ToLower(out), "usage") {
			t.Errorf("eddy %s: exit %d, printed:\n%s\nwant exit 2, %q and the usage", strings.Join(tc.args, " "), code, out, tc.says)
		}
		if strings.Contains(out, "listening") {
			t.Errorf("eddy %s started a server:\n%s", strings.Join(tc.args, " "), out)
		}
	}
}

// TestServerRefusesTakenPorts: a server that cannot have its ports says
// which one and exits non-zero, before it claims to be listening.
func TestServerRefusesTakenPorts(t *testing.T) {
	eddyOnlyTest(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	takenAddr := taken.Addr().String()
	free := func() string {
		port, err := harness.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("127.0.0.1:%d", port)
	}
	for _, tc := range []struct{ flag, listen, metrics string }{
		{"--metrics-listen", free(), takenAddr},
		{"--listen", takenAddr, free()},
	} {
		code, out := runEddy(t, "server", "--listen", tc.listen, "--metrics-listen", tc.metrics, "--data-dir", t.TempDir())
		want := tc.flag + " " + takenAddr
		if code == 0 || code == 2 || !strings.Contains(out, want) || !strings.Contains(out, "address already in use") {
			t.Errorf("%s on a taken port: exit %d, printed:\n%s\nwant exit 1 and %q ... address already in use", tc.flag, code, out, want)
		}
		if strings.Contains(out, "msg=listening") {
			t.Errorf("%s on a taken port: the server announced it was listening:\n%s", tc.flag, out)
		}
	}
}

// TestDataDirInUse: a second server on a data directory in use says so and
// names the process that holds it.
func TestDataDirInUse(t *testing.T) {
	eddyOnlyTest(t)
	first := harness.StartEddy(t, harness.Options{})
	listen, _ := harness.FreePort()
	metrics, _ := harness.FreePort()
	code, out := runEddy(t, "server", "--data-dir", first.DataDir(),
		"--listen", fmt.Sprintf("127.0.0.1:%d", listen), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", metrics))
	m := regexp.MustCompile(`data directory (\S+) is in use by another Eddy \(pid (\d+)\)`).FindStringSubmatch(out)
	if code != 1 || m == nil {
		t.Fatalf("second server on %s: exit %d, printed:\n%s\nwant exit 1 and \"data directory ... is in use by another Eddy (pid N)\"", first.DataDir(), code, out)
	}
	if m[1] != first.DataDir() {
		t.Errorf("the message names directory %s, want %s", m[1], first.DataDir())
	}
	pid, _ := strconv.Atoi(m[2])
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(cmdline, []byte(first.DataDir())) {
		t.Errorf("pid %d is not the first server (cmdline %q, %v)", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}), err)
	}
	// The first server is unharmed.
	var one int
	if err := first.Conn(t).QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
}

// TestMakeRun runs `make run` as the README tells a new user to, with
// flags in ARGS: it says it is building, then serves where ARGS said.
func TestMakeRun(t *testing.T) {
	eddyOnlyTest(t)
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatalf("make not found (apt-get install -y make): %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	port, _ := harness.FreePort()
	metrics, _ := harness.FreePort()
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	bin := filepath.Join(t.TempDir(), "eddy")
	args := fmt.Sprintf("--listen %s --metrics-listen 127.0.0.1:%d --data-dir %s", listen, metrics, t.TempDir())
	cmd := exec.Command("make", "--no-print-directory", "-C", root, "run", "EDDY_BIN="+bin, "ARGS="+args)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	// A process that outlives make (the go command can leave a helper
	// behind) may hold the output pipe open: Wait gives up on it after
	// WaitDelay instead of hanging the suite.
	cmd.WaitDelay = 5 * time.Second
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); pw.Close(); close(exited) }()
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}()
	var printed strings.Builder
	sawListening := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		listening := false
		for sc.Scan() {
			printed.WriteString(sc.Text() + "\n")
			if !listening && strings.Contains(sc.Text(), "msg=listening") && strings.Contains(sc.Text(), "addr="+listen) {
				listening = true
				sawListening <- true
			}
		}
		if !listening {
			sawListening <- false
		}
	}()
	select {
	case ok := <-sawListening:
		if !ok {
			t.Fatalf("make run ended without listening on %s:\n%s", listen, printed.String())
		}
	case <-time.After(8 * time.Minute):
		t.Fatalf("make run not listening on %s after 8 minutes:\n%s", listen, printed.String())
	}
	if !strings.HasPrefix(printed.String(), "building "+bin) {
		t.Errorf("make run does not start by saying it is building:\n%s", printed.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://eddy@%s/eddy?sslmode=disable", listen))
	if err != nil {
		t.Fatalf("connecting to make run's server on %s: %v\n%s", listen, err, printed.String())
	}
	defer conn.Close(ctx)
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
}

// TestGitignore: what `make run` leaves in the checkout is not for git.
func TestGitignore(t *testing.T) {
	for _, path := range []string{"bin/eddy", "eddy-playground-data/LOCK", "eddy-data/LOCK"} {
		out, err := exec.Command("git", "-C", "..", "check-ignore", "--no-index", path).CombinedOutput()
		if err != nil {
			t.Errorf("git check-ignore %s: %v %s; .gitignore must cover it", path, err, out)
		}
	}
}
