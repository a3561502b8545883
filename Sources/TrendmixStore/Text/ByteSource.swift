#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file in fixed-size chunks so that memory stays flat however large the file is.
///
/// Refuses directories, missing files and unreadable files with an ``ImportError/unreadable(file:reason:)``.
final class ByteSource {
    let path: String
    private let fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private(set) var start = 0
    private(set) var end = 0
    /// Bytes consumed from the file so far (for progress).
    private(set) var offset: Int64 = 0
    /// The file's size at open time.
    let size: Int64
    private var atEOF = false

    init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImportError.unreadable(file: path, reason: Self.errnoText())
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImportError.unreadable(file: path, reason: "it is a directory, not a file")
        }
        // Opening a FIFO with no writer blocks for ever, and a socket cannot be read as a file: both are refused.
        if (info.st_mode & S_IFMT) == S_IFIFO || (info.st_mode & S_IFMT) == S_IFSOCK {
            throw ImportError.unreadable(
                file: path, reason: "it is a named pipe or socket, not a regular file: write the data to a file first")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ImportError.unreadable(file: path, reason: Self.errnoText()) }
        self.fd = fd
        self.size = Int64(info.st_size)
        // At least 4 bytes, so that a byte order mark always fits in the first chunk.
        buffer = .allocate(byteCount: max(chunkSize, 4), alignment: 16)
    }

    /// Skips a UTF-8 byte order mark at the very start of the file.
    func skipByteOrderMark() throws {
        precondition(offset == 0 && start == 0 && end == 0, "call before reading")
        guard let base = buffer.baseAddress else { return }
        while end < 3 {
            let n = read(fd, base + end, buffer.count - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImportError.unreadable(file: path, reason: Self.errnoText())
            }
            if n == 0 {
                atEOF = true
                break
            }
            end += n
        }
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            consume(3)
        }
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    static func errnoText() -> String {
        switch errno {
        case ENOENT: "no such file"
        case ELOOP: "a loop of symbolic links"
        case EACCES: "permission denied"
        case EISDIR: "it is a directory, not a file"
        default: String(cString: strerror(errno))
        }
    }

    /// Why `path` cannot be found: no such file or folder, a symbolic link to nothing, or a loop of links.
    static func whyMissing(_ path: String) -> String {
        var info = stat()
        if stat(path, &info) != 0, errno == ELOOP { return "a loop of symbolic links" }
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            return "a symbolic link to something that does not exist"
        }
        return "no such file or folder"
    }

    /// Bytes available without reading, `start..<end` of ``bytes``.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }

    /// Marks `count` bytes from ``start`` consumed.
    @inline(__always) func consume(_ count: Int) {
        start += count
        offset += Int64(count)
    }

    /// Reads the next chunk when the current one is used up. Returns `false` at end of file.
    func refill() throws -> Bool {
        if start < end { return true }
        if atEOF { return false }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImportError.unreadable(file: path, reason: Self.errnoText())
            }
            start = 0
            end = n
            if n == 0 { atEOF = true }
            return n > 0
        }
    }

    /// The next byte, or `nil` at end of file.
    @inline(__always) func next() throws -> UInt8? {
        if start == end {
            guard try refill() else { return nil }
        }
        let b = buffer[start]
        start += 1
        offset += 1
        return b
    }

    /// The next byte without consuming it.
    @inline(__always) func peek() throws -> UInt8? {
        if start == end {
            guard try refill() else { return nil }
        }
        return buffer[start]
    }
}
