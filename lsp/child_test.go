package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// childEnv, when set, makes the test binary a language server on stdio instead of
// running tests: the benchmarks that measure the server alone start it as a child
// process, so its memory is its own, without the test client's copies of the
// document and of the diagnostics, nor what earlier benchmarks left.
const childEnv = "MIGSAFE_LSP_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(serveChild(dir))
	}
	os.Exit(m.Run())
}

// serveChild serves on stdio as `migsafe lsp` does (its collector tuning included,
// without debounce like the in-process benchmarks), logging at debug level as JSON
// to dir/log. On SIGUSR1 it collects and writes the heap in use to dir/heap (and a
// heap profile to dir/heap.prof), and the bytes of its objects.
func serveChild(dir string) int {
	f, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer f.Close()
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.Lock(f), zapcore.DebugLevel))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if p, err := os.Create(filepath.Join(dir, "heap.prof")); err == nil {
				_ = pprof.WriteHeapProfile(p)
				p.Close()
			}
			tmp := filepath.Join(dir, "heap.tmp")
			if os.WriteFile(tmp, []byte(strconv.FormatUint(m.HeapInuse, 10)+" "+strconv.FormatUint(m.HeapAlloc, 10)), 0o644) == nil {
				_ = os.Rename(tmp, filepath.Join(dir, "heap"))
			}
		}
	}()
	defer TuneGC(GCHeadroom)()
	return NewServer(Options{Logger: log}).Serve(context.Background(), childStdio{})
}

type childStdio struct{}

func (childStdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (childStdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (childStdio) Close() error {
	os.Stdin.Close()
	return os.Stdout.Close()
}

// childServer is a language server in a child process and a client speaking to it.
type childServer struct {
	*testClient
	cmd *exec.Cmd
	dir string
}

// startChild starts the test binary as a language server (see TestMain) with env
// added to its environment.
func startChild(b *testing.B, env ...string) *childServer {
	b.Helper()
	dir := b.TempDir()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(append(os.Environ(), childEnv+"="+dir), env...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &childServer{testClient: connect(b, pipes{out, in}), cmd: cmd, dir: dir}
	go func() {
		_ = cmd.Wait()
		s.exit <- cmd.ProcessState.ExitCode()
	}()
	b.Cleanup(func() { _ = cmd.Process.Kill() })
	return s
}

// pipes joins the child's stdout and stdin.
type pipes struct {
	io.ReadCloser
	w io.WriteCloser
}

func (p pipes) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p pipes) Close() error {
	p.w.Close()
	return p.ReadCloser.Close()
}

// status is the child's VmRSS and VmHWM in MB.
func (s *childServer) status() (rss, hwm float64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

// heapMB is the child's heap in use after a collection, in MB; it also writes the
// child's heap profile to profile when that is not "".
func (s *childServer) heapMB(profile string) (inuse, live float64) {
	path := filepath.Join(s.dir, "heap")
	os.Remove(path)
	if err := s.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			f := strings.Fields(string(data))
			n, _ := strconv.ParseFloat(f[0], 64)
			l, _ := strconv.ParseFloat(f[1], 64)
			if profile != "" {
				if p, err := os.ReadFile(filepath.Join(s.dir, "heap.prof")); err == nil {
					_ = os.WriteFile(profile, p, 0o644)
				}
			}
			return n / (1 << 20), l / (1 << 20)
		}
		if time.Now().After(deadline) {
			s.t.Fatal("the child wrote no heap figure")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// analyses are the durations of the child's analyses of versions after the first.
func (s *childServer) analyses() []time.Duration {
	f, err := os.Open(filepath.Join(s.dir, "log"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var took []time.Duration
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct {
			Msg     string  `json:"msg"`
			Version int32   `json:"version"`
			Took    float64 `json:"took"`
		}
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Msg == "analysed" && e.Version != 1 {
			took = append(took, time.Duration(e.Took*float64(time.Second)))
		}
	}
	return took
}

// BenchmarkLargeDocumentServerAlone is BenchmarkLargeDocumentEdit's cases, each on a
// language server of its own in a child process (the test binary, serving as `migsafe
// lsp` does): the memory it reports is the server's alone, as a user's editor sees
// it: its resident memory after the edits (RSS-MB), the most it was resident
// (HWM-MB: VmHWM), and its heap in use after a collection (heap-MB: spans in use)
// with the bytes of live objects in it (live-MB); its resident memory once idle
// (idle-RSS-MB: IdleRelease after the edits) and how long three edits each after
// such a pause took (after-idle-p50-ms). The
// child's heap profile after the edits goes to $MIGSAFE_LSP_HEAPPROFILE-<case> when
// that is set.
//
//	go test ./lsp -run '^$' -bench LargeDocumentServerAlone -benchtime 20x
func BenchmarkLargeDocumentServerAlone(b *testing.B) {
	for _, kind := range largeEdits {
		b.Run(kind.name, func(b *testing.B) {
			s := startChild(b)
			s.initialize("", "")
			uri := "file:///tmp/migsafe-bench/0001_" + kind.name + ".sql"
			text := kind.gen(5 << 20)
			s.open(uri, text)
			s.waitDiags(uri, 1)
			_, openHWM := s.status()
			b.ResetTimer()
			times := kind.edit(b, s.testClient, uri, text)
			b.StopTimer()
			reportTimes(b, times)
			rss, hwm := s.status()
			b.ReportMetric(openHWM, "open-HWM-MB")
			b.ReportMetric(rss, "RSS-MB")
			b.ReportMetric(hwm, "HWM-MB")
			// The user stops typing: the server returns the memory (IdleRelease),
			// and the edits after such pauses fault it back in.
			time.Sleep(IdleRelease + time.Second)
			idle, _ := s.status()
			b.ReportMetric(idle, "idle-RSS-MB")
			var afterIdle []time.Duration
			for j := 0; j < 3; j++ {
				if j > 0 {
					time.Sleep(IdleRelease + time.Second)
				}
				afterIdle = append(afterIdle, kind.editOnce(s.testClient, uri, text, b.N+j))
			}
			b.ReportMetric(median(afterIdle), "after-idle-p50-ms")
			profile := ""
			if p := os.Getenv("MIGSAFE_LSP_HEAPPROFILE"); p != "" {
				profile = p + "-" + kind.name
			}
			inuse, live := s.heapMB(profile)
			b.ReportMetric(inuse, "heap-MB")
			b.ReportMetric(live, "live-MB")
			if took := s.analyses(); len(took) > 0 {
				b.ReportMetric(median(took), "analysis-p50-ms")
			}
			if code := s.shutdown(); code != 0 {
				b.Fatalf("the server exited with %d", code)
			}
		})
	}
}
