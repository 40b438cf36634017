// Package regularfile reads whole regular files (migrations, code) in fewer system
// calls than package os. os.Open registers every file with the runtime's poller:
// two fcntl calls to make it non-blocking, an epoll_ctl that Linux refuses for a
// regular file, two more fcntl calls to undo it; os.ReadFile then stats the file and
// reads until a read returns nothing. `check` reads each of its files (and the code
// its rules search) once, so on a thousand small files those calls were most of the
// reading. Read opens, stats, reads and closes.
package regularfile

import "unsafe"

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
