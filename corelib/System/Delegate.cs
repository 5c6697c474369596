// Delegates. Field names and the Initialize* methods are what ILC's delegate construction calls.
using System.Runtime.CompilerServices;

namespace System;

/// <summary>Base of all delegates.</summary>
public abstract class Delegate
{
    // For closed instance delegates: the target and the method. For static delegates ILC passes a thunk that
    // reads the real method from _extraFunctionPointerOrData; _firstParameter is then the delegate itself.
    internal object _firstParameter;
    internal object _helperObject;
    internal nint _extraFunctionPointerOrData;
    internal IntPtr _functionPointer;

    private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
    {
        if (firstParameter is null)
            Internal.Runtime.ThrowHelpers.ThrowNullReferenceException();
        _functionPointer = functionPointer;
        _firstParameter = firstParameter;
    }

    private void InitializeClosedInstanceSlow(object firstParameter, IntPtr functionPointer) =>
        InitializeClosedInstance(firstParameter, functionPointer);

    private unsafe void InitializeClosedInstanceToInterface(object firstParameter, IntPtr dispatchCell)
    {
        if (firstParameter is null)
            Internal.Runtime.ThrowHelpers.ThrowNullReferenceException();
        _functionPointer = (IntPtr)Internal.Runtime.InterfaceDispatch.Resolve(firstParameter, (Internal.Runtime.InterfaceDispatchCell*)dispatchCell);
        _firstParameter = firstParameter;
    }

    private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
    {
        _firstParameter = this;
        _functionPointer = functionPointerThunk;
        _extraFunctionPointerOrData = (nint)functionPointer;
    }

    private void InitializeClosedStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
    {
        _extraFunctionPointerOrData = (nint)functionPointer;
        _helperObject = firstParameter;
        _functionPointer = functionPointerThunk;
        _firstParameter = this;
    }
}

/// <summary>Base of delegate types declared in C#.</summary>
public abstract class MulticastDelegate : Delegate
{
}

/// <summary>A method with no arguments and no result.</summary>
public delegate void Action();

/// <summary>A method with one argument and no result.</summary>
public delegate void Action<in T>(T arg);

/// <summary>A method with two arguments and no result.</summary>
public delegate void Action<in T1, in T2>(T1 arg1, T2 arg2);

/// <summary>A method with a result.</summary>
public delegate TResult Func<out TResult>();

/// <summary>A method with one argument and a result.</summary>
public delegate TResult Func<in T, out TResult>(T arg);

/// <summary>A method with two arguments and a result.</summary>
public delegate TResult Func<in T1, in T2, out TResult>(T1 arg1, T2 arg2);

/// <summary>A test over one value.</summary>
public delegate bool Predicate<in T>(T obj);

/// <summary>An ordering of two values.</summary>
public delegate int Comparison<in T>(T x, T y);
