// Package regularfile reads whole regular files (migrations, code) in fewer system
// calls than package os. os.Open registers every file with the runtime's poller:
// two fcntl calls to make it non-blocking, an epoll_ctl that Linux refuses for a
// regular file, two more fcntl calls to undo it; os.ReadFile then stats the file and
// reads until a read returns nothing. `check` reads each of its files (and the code
// its rules search) once, so on a thousand small files those calls were most of the
// reading. Read opens, stats, reads and closes.
package regularfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"unsafe"
)

// Read is the content of the regular file at path when it holds at most max bytes
// (max < 0: any size). ok is false when path is not such a file or a system call
// failed; nothing is reported then: the caller reads the file the usual way
// (os.ReadFile), which says what is wrong as it always did.
func Read(path string, max int64) (data []byte, ok bool) { return read(path, max) }

// ReadString is Read as a string, without copying the bytes: nothing else holds them.
func ReadString(path string, max int64) (text string, ok bool) {
	data, ok := read(path, max)
	return unsafe.String(unsafe.SliceData(data), len(data)), ok
}

// ReadFile is os.ReadFile for files that must be regular (migrations, config, stats):
// a named pipe, socket or device is refused at once with a NotRegularError, where
// os.ReadFile of a FIFO no process writes to blocks in open(2) for ever (a FIFO among
// the migrations hung `check` of every migration after it, and the language server;
// one named migsafe.toml hung every check below it). A link to a regular file is read.
func ReadFile(path string) ([]byte, error) {
	if data, ok := read(path, -1); ok {
		return data, nil
	}
	// Opened again, the same way, to say why (or to read where read cannot).
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: NotRegularError{st.Mode()}}
	}
	return io.ReadAll(f)
}

// NotRegularError says what a file that is not a regular file is.
type NotRegularError struct{ Mode fs.FileMode }

func (e NotRegularError) Error() string {
	kind := "not a regular file"
	switch t := e.Mode.Type(); {
	case t&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		kind = "a socket"
	case t&fs.ModeDevice != 0:
		kind = "a device"
	case t&fs.ModeDir != 0:
		kind = "a directory"
	}
	return fmt.Sprintf("%s, not a regular file: migsafe reads only regular files here", kind)
}
