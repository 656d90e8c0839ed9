using System.Runtime.InteropServices;

namespace VoiceAgent.ConsoleUi;

/// <summary>
/// The terminal's size as the kernel knows it at this instant (TIOCGWINSZ on standard output).
/// Console.WindowWidth is cached by the runtime until it handles SIGWINCH, so a redraw right after
/// a resize would use the old width; this is one cheap system call, asked before every redraw.
/// Linux only (the request number and the variadic ioctl call are platform-specific); elsewhere
/// null, and the screen keeps the width its resize handling last set.
/// </summary>
internal static partial class TerminalSize
{
    private const int StandardOutput = 1;
    private const nuint GetWindowSize = 0x5413; // TIOCGWINSZ

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>Rows and columns, or null where they cannot be measured this way.</summary>
    public static (int Rows, int Columns)? Measure()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return ioctl(StandardOutput, GetWindowSize, out var size) == 0 && size.Columns > 0 && size.Rows > 0 ? (size.Rows, size.Columns) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int descriptor, nuint request, out WindowSize size);
}
