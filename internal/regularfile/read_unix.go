//go:build unix

package regularfile

import "syscall"

func read(path string, max int64) ([]byte, bool) {
	fd, err := open(path)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || (max >= 0 && st.Size > max) {
		return nil, false
	}
	// A byte of room past the size: a read that fills it finds the file grown since
	// the stat, and reading goes on to the end, as os.ReadFile does.
	buf := make([]byte, st.Size+1)
	n := 0
	for {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if m == 0 {
			break // the end
		}
		n += m
		if int64(n) == st.Size {
			break // all it held when stat'ed: no read to find the end
		}
		if n == len(buf) {
			if max >= 0 && int64(n) > max {
				return nil, false
			}
			buf = append(buf, make([]byte, n)...)
		}
	}
	return buf[:n:n], true
}

// open opens without blocking: open(2) of a named pipe waits for a writer, for ever
// when none comes (a tracked code file replaced by a FIFO hung the code search); the
// fstat then refuses it. On a regular file the flag changes nothing.
func open(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

func fstat(fd int, st *syscall.Stat_t) error {
	for {
		if err := syscall.Fstat(fd, st); err != syscall.EINTR {
			return err
		}
	}
}
